using System.Diagnostics;
using Npgsql;

namespace MdiFlow.Benchmarks.Workloads;

/// <summary>
/// The limit of a durable store on this server: single-row INSERTs, each its own transaction committed with
/// <c>synchronous_commit = on</c>, one after another on one connection (prepared, as pgbench would run them).
/// </summary>
internal static class PostgresRawCommits
{
    /// <returns>Commits per second.</returns>
    public static async Task<double> MeasureAsync(string connectionString, double seconds)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await ExecuteAsync(connection, "SET synchronous_commit = on; CREATE TABLE IF NOT EXISTS raw_commits (id bigserial PRIMARY KEY, at bigint NOT NULL, payload text NOT NULL)").ConfigureAwait(false);
        await using var insert = new NpgsqlCommand("INSERT INTO raw_commits (at, payload) VALUES ($1, $2)", connection);
        var at = new NpgsqlParameter<long>();
        insert.Parameters.Add(at);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = new string('x', 256) });
        await insert.PrepareAsync().ConfigureAwait(false);

        async Task CommitAsync()
        {
            at.TypedValue = Stopwatch.GetTimestamp();
            await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        for (var i = 0; i < 50; i++)
        {
            await CommitAsync().ConfigureAwait(false);
        }

        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            await CommitAsync().ConfigureAwait(false);
            count++;
        }

        var rate = count / clock.Elapsed.TotalSeconds;
        await ExecuteAsync(connection, "TRUNCATE raw_commits").ConfigureAwait(false);
        return rate;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
