using System.Diagnostics;
using MdiFlow.Instances;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests.Support;

/// <summary>A row lock on one instance taken from outside the store (as another host's commit would hold it), until released.</summary>
internal sealed class RowLock(NpgsqlConnection connection, TestDatabase database) : IAsyncDisposable
{
    public static async Task<RowLock> HoldAsync(TestDatabase database, InstanceId id)
    {
        var connection = await database.OpenAsync();
        await using (var command = new NpgsqlCommand($"BEGIN; SELECT 1 FROM mdiflow.instances WHERE id = '{id}' FOR UPDATE", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new RowLock(connection, database);
    }

    /// <summary>Waits (by asking the server, not by sleeping) until a connection of the store waits for the lock.</summary>
    public async Task WaitUntilTheStoreWaitsAsync()
    {
        var clock = Stopwatch.StartNew();
        while (await database.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database.Name}' AND application_name = 'mdiflow' AND wait_event_type = 'Lock'") == 0)
        {
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the store's commit should be waiting for the row lock");
        }
    }

    public async Task ReleaseAsync()
    {
        await using var command = new NpgsqlCommand("ROLLBACK", connection);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
