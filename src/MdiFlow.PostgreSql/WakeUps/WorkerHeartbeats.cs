using System.Diagnostics;
using Npgsql;

namespace MdiFlow.PostgreSql.WakeUps;

/// <summary>
/// A worker process's row in <c>mdiflow.workers</c>: written when its worker starts listening, renewed every
/// <see cref="Interval"/>, removed when it stops. <c>show</c> reads them to say whether the worker a step waits for is alive.
/// </summary>
internal sealed class WorkerHeartbeats(PostgreSqlWorkflowStore store, string host, TimeProvider time)
{
    /// <summary>How often a worker says it is alive.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static readonly DateTimeOffset ProcessStarted = StartOfThisProcess();

    /// <summary>This worker's row, unique per process and worker.</summary>
    public string Owner { get; } = $"{host}/{Environment.ProcessId}/{Guid.NewGuid():n}";

    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            INSERT INTO mdiflow.workers (owner, host, pid, started_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (owner) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
            """, connection);
        command.Parameters.Add(ColumnValues.Text(Owner));
        command.Parameters.Add(ColumnValues.Text(host));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Environment.ProcessId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ColumnValues.FromTime(ProcessStarted) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ColumnValues.FromTime(time.GetUtcNow()) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes this worker's row (it stops): its host then shows no live worker until another starts.</summary>
    public async Task EndAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await using var connection = await store.DataSource.OpenConnectionAsync(limit.Token).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("DELETE FROM mdiflow.workers WHERE owner = $1", connection);
        command.Parameters.Add(ColumnValues.Text(Owner));
        await command.ExecuteNonQueryAsync(limit.Token).ConfigureAwait(false);
    }

    /// <summary>Every worker row, newest heartbeat first; rows of workers silent for more than a day are left out (a killed worker leaves its row behind).</summary>
    public static async Task<IReadOnlyList<WorkerHeartbeat>> ReadAsync(NpgsqlConnection connection, StoreSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var list = new List<WorkerHeartbeat>();
        await using var command = new NpgsqlCommand("SELECT owner, host, pid, started_at, heartbeat_at FROM mdiflow.workers WHERE heartbeat_at > $1 ORDER BY heartbeat_at DESC", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ColumnValues.FromTime(now - TimeSpan.FromDays(1)) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var seen = ColumnValues.ToTime(reader.GetInt64(4), settings);
            list.Add(new WorkerHeartbeat(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), ColumnValues.ToTime(reader.GetInt64(3), settings), seen, now - seen <= Interval * 3));
        }

        return list;
    }

    private static DateTimeOffset StartOfThisProcess()
    {
        using var process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }
}
