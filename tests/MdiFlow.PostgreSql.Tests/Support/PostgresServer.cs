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

    private readonly NpgsqlConnectionStringBuilder _admin;

    private PostgresServer(string adminConnectionString)
    {
        _admin = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false, Database = "postgres" };
    }

    /// <summary>The server, started on first use.</summary>
    public static PostgresServer Instance => Shared.Value;

    public string Host => _admin.Host!;

    public int Port => _admin.Port;

    /// <summary>The superuser on <paramref name="database"/>.</summary>
    public string AdminConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = database }.ConnectionString;

    /// <summary>A login on <paramref name="database"/> over TCP, with its password.</summary>
    public string ConnectionString(string database, string username, string password) =>
        new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = database, Username = username, Password = password }.ConnectionString;

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
            return new PostgresServer(given);
        }

        return new PostgresServer(PrivateServer.Start().AdminConnectionString);
    }
}
