using System.Data.Common;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Schema;
using Npgsql;

namespace MdiFlow.PostgreSql;

/// <summary>A store's options, resolved and frozen when the store is created.</summary>
internal sealed class StoreSettings
{
    public StoreSettings(PostgreSqlStoreOptions options, JournalKeyProvider? keys = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Address = ServerAddress.Parse(options.ConnectionString);
        Roles = new StoreRoles(options.OwnerRole, options.ApplicationRole);
        CommandTimeout = options.CommandTimeout;
        ReadOnly = options.ReadOnly;
        Keys = keys ?? KeysOf(options);
    }

    /// <summary>Where a store's journal key comes from: <see cref="PostgreSqlStoreOptions.KeyFile"/>, else the host's key; never the database.</summary>
    public static JournalKeyProvider KeysOf(PostgreSqlStoreOptions options) =>
        JournalKeyProvider.FromFile(options.KeyFile ?? JournalKeyProvider.SystemPath);

    /// <summary>Where the store's journal key comes from.</summary>
    public JournalKeyProvider Keys { get; }

    /// <summary>Opened for reading only.</summary>
    public bool ReadOnly { get; }

    /// <summary>Where the store is, as every message names it.</summary>
    public ServerAddress Address { get; }

    /// <summary>The roles a new store is created with.</summary>
    public StoreRoles Roles { get; }

    public TimeSpan CommandTimeout { get; }

    /// <summary>Connections per store unless the connection string says otherwise: one commits, the others read.</summary>
    /// <remarks>
    /// Npgsql's default of 100 is meant for one application per server; here every worker host opens a store, and a
    /// server's default max_connections is 100. Ten keeps 50 hosts well within a few hundred connections.
    /// </remarks>
    public const int DefaultPoolSize = 10;

    /// <summary>
    /// The data source of the store's connections: the caller's settings, plus what the store relies on unless the
    /// caller set it: an application name for pg_stat_activity, statements prepared automatically, and a pool of
    /// <see cref="DefaultPoolSize"/>.
    /// </summary>
    public NpgsqlDataSource CreateDataSource()
    {
        var given = new DbConnectionStringBuilder { ConnectionString = Address.Builder.ConnectionString };
        var builder = new NpgsqlConnectionStringBuilder(Address.Builder.ConnectionString)
        {
            CommandTimeout = (int)Math.Ceiling(CommandTimeout.TotalSeconds),
        };
        if (!given.ContainsKey("Application Name"))
        {
            builder.ApplicationName = "mdiflow";
        }

        if (!given.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 32;
        }

        if (!given.ContainsKey("Maximum Pool Size"))
        {
            builder.MaxPoolSize = DefaultPoolSize;
        }

        if (ReadOnly)
        {
            // The server itself refuses every write of a reading session, whatever a bug in the store might try.
            builder.Options = $"{builder.Options} -c default_transaction_read_only=on".Trim();
        }

        return new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
    }
}
