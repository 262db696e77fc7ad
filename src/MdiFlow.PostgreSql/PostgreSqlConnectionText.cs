namespace MdiFlow.PostgreSql;

/// <summary>Connection strings as they may be shown: in suggested commands, logs and messages, never with a password.</summary>
public static class PostgreSqlConnectionText
{
    /// <summary>
    /// The connection string without its password (<c>Password</c>, <c>PWD</c>, <c>PSW</c>, <c>SSL Password</c>), in
    /// Npgsql's canonical form: <c>Host=db01;Database=mdiflow;Username=dc01_worker</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is malformed (the message never repeats its values).</exception>
    public static string WithoutSecrets(string connectionString) => ServerAddress.Parse(connectionString).WithoutSecrets;

    /// <summary>How the store names a connection string in messages: <c>database 'mdiflow' on db01:5432 as 'dc01_worker'</c>.</summary>
    /// <exception cref="ArgumentException">The connection string is malformed (the message never repeats its values).</exception>
    public static string Describe(string connectionString) => ServerAddress.Parse(connectionString).Description;
}
