using MdiFlow.PostgreSql.Schema;
using Npgsql;

namespace MdiFlow.PostgreSql;

/// <summary>A store's options, resolved and frozen when the store is created.</summary>
internal sealed class StoreSettings
{
    public StoreSettings(PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Address = ServerAddress.Parse(options.ConnectionString);
        Roles = new StoreRoles(options.OwnerRole, options.ApplicationRole);
        CommandTimeout = options.CommandTimeout;
    }

    /// <summary>Where the store is, as every message names it.</summary>
    public ServerAddress Address { get; }

    /// <summary>The roles a new store is created with.</summary>
    public StoreRoles Roles { get; }

    public TimeSpan CommandTimeout { get; }

    /// <summary>
    /// The data source of the store's connections: the caller's settings, plus what the store relies on unless the
    /// caller chose otherwise (an application name for pg_stat_activity, statements prepared automatically).
    /// </summary>
    public NpgsqlDataSource CreateDataSource()
    {
        var builder = new NpgsqlConnectionStringBuilder(Address.Builder.ConnectionString)
        {
            CommandTimeout = (int)Math.Ceiling(CommandTimeout.TotalSeconds),
        };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "mdiflow";
        }

        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
        }

        return new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
    }
}
