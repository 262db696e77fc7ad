using Npgsql;

namespace MdiFlow.PostgreSql.Tests.Support;

/// <summary>
/// The one PostgreSQL server of a test run: the one <c>.ci/run</c> started (its superuser's connection string in
/// <c>MDIFLOW_TEST_POSTGRES</c>), else a private server this process starts. There is always a real server: without
/// one the tests fail, saying how to provide one; they never skip.
/// </summary>
internal sealed class PostgresServer
{
    /// <summary>The variable <c>.ci/run</c> sets: a superuser's connection string to a throwaway server.</summary>
    public const string Variable = "MDIFLOW_TEST_POSTGRES";

    private static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Set (to 1) by <c>.ci/run</c>: its server is deleted after the run, so databases need not be dropped one by one.</summary>
    public const string ThrowawayVariable = "MDIFLOW_TEST_POSTGRES_THROWAWAY";

    private readonly NpgsqlConnectionStringBuilder _admin;

    private PostgresServer(string adminConnectionString, bool throwaway)
    {
        _admin = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false, Database = "postgres" };
        IsThrowaway = throwaway;
    }

    /// <summary>
    /// The server is deleted after the run (a private one, or .ci/run's): the tests' databases are left to it, since
    /// every DROP DATABASE waits for a checkpoint.
    /// </summary>
    public bool IsThrowaway { get; }

    /// <summary>The server, started on first use.</summary>
    public static PostgresServer Instance => Shared.Value;

    public string Host => _admin.Host!;

    public int Port => _admin.Port;

    /// <summary>The superuser on <paramref name="database"/>, without pooling (for the tests' own statements).</summary>
    public string AdminConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = database }.ConnectionString;

    /// <summary>A login on <paramref name="database"/> over TCP, with its password, pooled (as a store would use it).</summary>
    public string ConnectionString(string database, string username, string password) =>
        new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = database, Username = username, Password = password, Pooling = true }.ConnectionString;

    /// <summary>Runs statements as the superuser on <paramref name="database"/>.</summary>
    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Reads one value as the superuser on <paramref name="database"/>.</summary>
    public async Task<T> ScalarAsync<T>(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static PostgresServer Start()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            return new PostgresServer(given, Environment.GetEnvironmentVariable(ThrowawayVariable) == "1");
        }

        return new PostgresServer(PrivateServer.Start().AdminConnectionString, throwaway: true);
    }
}
