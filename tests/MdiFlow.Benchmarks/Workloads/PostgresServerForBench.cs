using MdiFlow.PostgreSql.Tests.Support;
using Npgsql;

namespace MdiFlow.Benchmarks.Workloads;

/// <summary>
/// The PostgreSQL server of the PostgreSQL workload: <c>--postgres CONNECTION-STRING</c> (a superuser's), else
/// <c>MDIFLOW_BENCH_POSTGRES</c> or <c>MDIFLOW_TEST_POSTGRES</c>, else a private server started the way the tests and
/// <c>.ci/postgres.sh</c> start one (on this machine's temp disk). Each run gets two databases of its own (the store's, and one for the raw commits), dropped after.
/// </summary>
internal sealed class PostgresServerForBench : IAsyncDisposable
{
    private readonly string _admin;
    private readonly PrivateServer? _private;

    private PostgresServerForBench(string admin, PrivateServer? privateServer, string database)
    {
        _admin = admin;
        _private = privateServer;
        Database = database;
    }

    /// <summary>Where the server came from, for the report.</summary>
    public string Origin => _private is null ? "given" : $"private, data in {_private.Root}";

    public string Database { get; }

    /// <summary>The superuser's connection string to the run's database (the store's).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_admin) { Database = Database, Pooling = true }.ConnectionString;

    /// <summary>The superuser's connection string to a second database of the run, on the same server, for the raw commits.</summary>
    public string RawConnectionString => new NpgsqlConnectionStringBuilder(_admin) { Database = Database + "_raw", Pooling = true }.ConnectionString;

    public static async Task<PostgresServerForBench> StartAsync(string? given)
    {
        var admin = given
            ?? NonEmpty(Environment.GetEnvironmentVariable("MDIFLOW_BENCH_POSTGRES"))
            ?? NonEmpty(Environment.GetEnvironmentVariable("MDIFLOW_TEST_POSTGRES"));
        var privateServer = admin is null ? PrivateServer.Start() : null;
        admin ??= privateServer!.AdminConnectionString;
        var database = $"mdiflow_bench_{Environment.ProcessId}_{Guid.NewGuid():n}"[..40];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\" ENCODING 'UTF8' TEMPLATE template0").ConfigureAwait(false);
        await ExecuteAsync(admin, $"CREATE DATABASE \"{database}_raw\" ENCODING 'UTF8' TEMPLATE template0").ConfigureAwait(false);
        return new PostgresServerForBench(admin, privateServer, database);
    }

    /// <summary>A setting of the server (for the report: the run is valid only with fsync and synchronous_commit on).</summary>
    public async Task<string> SettingAsync(string name)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT current_setting($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        return (string)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_private is not null)
        {
            _private.Stop();
            return;
        }

        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)").ConfigureAwait(false);
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS \"{Database}_raw\" WITH (FORCE)").ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(string admin, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
