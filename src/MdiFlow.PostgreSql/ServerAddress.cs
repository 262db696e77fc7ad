using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace MdiFlow.PostgreSql;

/// <summary>
/// A parsed connection string and how the store names it in messages: host, port, database and user, never the
/// password. Npgsql's own parse errors can quote a value, so they are replaced by messages that only name keys.
/// </summary>
internal sealed class ServerAddress
{
    private ServerAddress(NpgsqlConnectionStringBuilder builder)
    {
        Builder = builder;
        Host = builder.Host ?? Environment.GetEnvironmentVariable("PGHOST") ?? "localhost";
        Port = builder.Port;
        Username = builder.Username ?? Environment.GetEnvironmentVariable("PGUSER") ?? Environment.UserName;
        Database = builder.Database ?? Environment.GetEnvironmentVariable("PGDATABASE") ?? Username;
    }

    /// <summary>The parsed settings (with the password, for connecting only).</summary>
    public NpgsqlConnectionStringBuilder Builder { get; }

    public string Host { get; }

    public int Port { get; }

    public string Database { get; }

    public string Username { get; }

    /// <summary>How messages name the store: <c>database 'mdiflow' on db01:5432 as 'dc01_worker'</c>.</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture, $"database '{Database}' on {Host}:{Port} as '{Username}'");

    /// <summary>The connection string without its password (for suggested commands: the password comes from PGPASSWORD or a pgpass file).</summary>
    public string WithoutSecrets
    {
        get
        {
            var copy = new NpgsqlConnectionStringBuilder(Builder.ConnectionString) { Password = null, SslPassword = null };
            return copy.ConnectionString;
        }
    }

    /// <summary>Parses a connection string.</summary>
    /// <exception cref="ArgumentException">It is malformed; the message names the key at fault, never a value.</exception>
    public static ServerAddress Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var generic = new DbConnectionStringBuilder();
        try
        {
            generic.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            throw Invalid("it is not a list of Key=Value settings separated by ';' (quote a value that contains ';' or '=' with double quotes)");
        }

        var builder = new NpgsqlConnectionStringBuilder();
        foreach (string key in generic.Keys)
        {
            var value = generic[key];
            try
            {
                builder[key] = value;
            }
            catch (ArgumentException) when (!IsKnown(builder, key))
            {
                // The unknown "key" may be the tail of a password split at a ';': do not repeat it.
                throw Invalid("it has a setting that Npgsql does not know (not repeated here, in case it is part of a password split by an unquoted ';')");
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or InvalidCastException)
            {
                throw Invalid($"the value of the setting '{key}' is not valid");
            }
        }

        return new ServerAddress(builder);
    }

    private static bool IsKnown(NpgsqlConnectionStringBuilder builder, string key)
    {
        try
        {
            return builder.ContainsKey(key);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static ArgumentException Invalid(string reason) =>
        new($"The PostgreSQL connection string is not valid: {reason}. Write it as Key=Value pairs separated by ';', for example Host=db01;Database=mdiflow;Username=mdiflow_app; see docs/postgresql.md.");
}
