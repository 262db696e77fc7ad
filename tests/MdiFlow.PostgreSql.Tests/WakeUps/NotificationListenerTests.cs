using System.Diagnostics;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.PostgreSql.WakeUps;
using MdiFlow.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests.WakeUps;

/// <summary>
/// LISTEN/NOTIFY as the worker's wake-up: a commit in one process wakes the worker of another at once, whatever its
/// poll interval; notifications for another host do not wake it; a wake time in the future wakes it then.
/// </summary>
public sealed class NotificationListenerTests : DatabaseTest
{
    private const string Workflow = """
        { "id": "woken", "steps": [
          { "id": "board", "uses": "approval", "with": { "approvers": ["user:{{ inputs.approver }}"], "requesterMayApprove": true } },
          { "id": "after", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo after the approval"] } } ],
          "inputs": { "approver": { "type": "string", "required": true } } }
        """;

    private readonly TempDirectory _directory = new();
    private readonly SystemKey _key = new("""{ "gates": { "requesterMayApprove": true } }""");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
        _key.Dispose();
    }

    [Fact]
    public async Task An_approval_made_through_one_process_wakes_a_worker_in_another_long_before_its_one_minute_poll()
    {
        var builder = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = builder.Password! };
        builder.Password = null;
        var store = "postgres:" + builder.ConnectionString;
        File.WriteAllText(Path.Combine(_directory.Path, "woken.json"), Workflow);
        var run = await Support.Cli.RunAsync(_directory.Path, _key, environment, "run", "woken.json", "--input", $"approver={Environment.UserName}", "--store", store, "--json");
        run.ExitCode.Should().Be(10, run.Stdout + run.Stderr);
        var id = (await Database.ScalarAsync<string>("SELECT id FROM mdiflow.instances"))!;

        await using var worker = CliProcess.Start(_directory.Path, _key, environment, "worker", "--store", store, "--host", "DC01", "--interval", "60", "--verbose");
        await worker.WaitForLineAsync("Listening for wake-ups of host DC01", TimeSpan.FromSeconds(60));
        (await Database.ScalarAsync<string>("SELECT host FROM mdiflow.workers")).Should().Be("DC01");

        var clock = Stopwatch.StartNew();
        var approve = await Support.Cli.RunAsync(_directory.Path, _key, environment, "approve", id, "--step", "board", "--comment", "go", "--store", store);
        approve.ExitCode.Should().Be(0, approve.Stdout + approve.Stderr);
        await worker.WaitForLineAsync($"{id}: ready -> completed", TimeSpan.FromSeconds(45));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(45), "the worker's poll comes only after a minute");
        (await Database.ScalarAsync<string>($"SELECT status FROM mdiflow.instances WHERE id = '{id}'")).Should().Be("completed");
        worker.Output.Should().NotContain(builder.Username + ":").And.NotContain(environment["PGPASSWORD"]);
    }

    [Fact]
    public async Task Notifications_for_another_host_do_not_wake_a_worker_and_a_later_wake_time_wakes_it_then()
    {
        var store = Open();
        await store.OpenAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var listener = new NotificationListener(store, "DC01", time, NullLogger.Instance);
        await listener.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)); // the first wait returns once it listens

        var wait = listener.WaitAsync(CancellationToken.None);
        var later = time.GetUtcNow().AddMinutes(5);
        await NotifyAsync(WakePayload.Format("DC02", time.GetUtcNow()));
        await NotifyAsync(WakePayload.Format("dc01", later));
        await Until(() => listener.Notifications == 2);

        wait.IsCompleted.Should().BeFalse("DC02's work is not DC01's, and DC01's is due in five minutes");
        time.Advance(TimeSpan.FromMinutes(5));
        await wait.WaitAsync(TimeSpan.FromSeconds(30));

        var next = listener.WaitAsync(CancellationToken.None);
        await NotifyAsync(WakePayload.Format("", time.GetUtcNow()));
        await Until(() => listener.Notifications == 3);
        await next.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task While_the_listening_connection_is_down_the_worker_is_woken_every_three_seconds_and_listens_again_when_it_can()
    {
        var store = Open();
        await store.OpenAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var listener = new NotificationListener(store, "DC01", time, NullLogger.Instance);
        await listener.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var quiet = listener.WaitAsync(CancellationToken.None);

        // The server refuses new sessions to the database and ends the listening one: no notification can arrive now.
        await TestDatabase.Server.ExecuteAsync($"ALTER DATABASE \"{Database.Name}\" ALLOW_CONNECTIONS false");
        await TestDatabase.Server.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Database.Name}' AND query LIKE 'LISTEN%'");
        await quiet.WaitAsync(TimeSpan.FromSeconds(30)); // woken at once: what was committed meanwhile is looked at
        listener.FallbackWakeUps.Should().Be(1);

        for (var wakeUp = 2; wakeUp <= 4; wakeUp++)
        {
            var next = listener.WaitAsync(CancellationToken.None);
            time.Advance(NotificationListener.FallbackPoll - TimeSpan.FromMilliseconds(1));
            next.IsCompleted.Should().BeFalse("the next fallback wake-up is three seconds after the last");
            time.Advance(TimeSpan.FromMilliseconds(1));
            await next.WaitAsync(TimeSpan.FromSeconds(30));
            listener.FallbackWakeUps.Should().Be(wakeUp);
        }

        await TestDatabase.Server.ExecuteAsync($"ALTER DATABASE \"{Database.Name}\" ALLOW_CONNECTIONS true");
        var before = listener.Notifications;
        await Until(async () =>
        {
            time.Advance(TimeSpan.FromSeconds(1)); // the reconnection waits (at most 30 s) pass
            await NotifyAsync(WakePayload.Format("", time.GetUtcNow()));
            return listener.Notifications > before;
        });
        var deafWakeUps = listener.FallbackWakeUps;
        time.Advance(TimeSpan.FromSeconds(30));
        listener.FallbackWakeUps.Should().Be(deafWakeUps, "listening again, the listener leaves the polling to the worker");
    }

    private async Task NotifyAsync(string payload)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT pg_notify('{WakePayload.Channel}', $1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
            await Task.Yield();
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
            await Task.Yield();
        }
    }
}
