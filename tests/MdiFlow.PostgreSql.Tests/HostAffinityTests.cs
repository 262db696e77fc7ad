using System.Diagnostics;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Tests.Cli;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Testing;
using MdiFlow.Testing.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests;

/// <summary>
/// Host affinity on one shared store: a step that must run on its target server waits for that host's worker and is
/// never run by another; the other steps run on any worker.
/// </summary>
public sealed class HostAffinityTests : DatabaseTest
{
    private const string Workflow = """
        { "id": "affine", "steps": [
          { "id": "graph", "uses": "test.anywhere" },
          { "id": "install", "uses": "test.onHost" },
          { "id": "report", "uses": "test.anywhere" } ] }
        """;

    private readonly TempDirectory _directory = new();
    private readonly SystemKey _key = new(SharedStoreHost.PolicyJson);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
        _key.Dispose();
    }

    [Fact]
    public async Task A_host_affine_step_waits_for_its_hosts_worker_and_the_worker_of_another_host_runs_only_the_free_steps()
    {
        await using var dc01 = new SharedStoreHost(Database, "DC01", Time);
        await using var dc02 = new SharedStoreHost(Database, "DC02", Time);
        var id = (await dc01.StartAsync(Workflow, "DC01")).Id;

        var first = await dc02.Worker.RunPassAsync();
        var again = await dc02.Worker.RunPassAsync();
        var waiting = (await dc02.Store.FindAsync(id))!;
        var onTarget = await dc01.Worker.RunPassAsync();

        first.Outcomes.Should().ContainSingle().Which.To.Should().Be(InstanceStatus.Ready, "DC02 ran the free step, then handed the instance over");
        again.Outcomes.Should().BeEmpty("the next step waits for DC01's worker: DC02's is never offered it");
        waiting.Steps.Select(s => s.Status).Should().Equal(StepStatus.Completed, StepStatus.Pending, StepStatus.Pending);
        waiting.Lease.Should().BeNull();
        onTarget.Outcomes.Should().ContainSingle().Which.To.Should().Be(InstanceStatus.Completed);
        var done = (await dc01.Store.FindAsync(id))!;
        done.Steps.Select(s => s.Output!["host"]!.GetValue<string>()).Should().Equal("DC02", "DC01", "DC01");
        var journal = await dc01.Store.ReadJournalAsync(id);
        journal.Count(e => e.Kind == JournalKinds.InstanceHandedOver).Should().Be(1);
        journal.Count(e => e.Kind == JournalKinds.StepStarted && e.Step == "install").Should().Be(1);
    }

    [Fact]
    public async Task An_approval_through_the_cli_wakes_the_target_hosts_worker_process_and_only_it_runs_the_host_affine_step()
    {
        var builder = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = builder.Password! };
        builder.Password = null;
        var cliStore = "postgres:" + builder.ConnectionString;
        await using var dc02 = CliProcess.StartHostWorker(Database.ConnectionString, _key.File, "DC02", "--interval", "1");
        await using var dc01 = CliProcess.StartHostWorker(Database.ConnectionString, _key.File, "DC01", "--interval", "60");
        await dc02.WaitForLineAsync("Listening for wake-ups of host DC02", TimeSpan.FromSeconds(60));
        await dc01.WaitForLineAsync("Listening for wake-ups of host DC01", TimeSpan.FromSeconds(60));
        await using var admin = new SharedStoreHost(Database, "ADMIN01", TimeProvider.System, keyFile: _key.File);

        // Created here, never run here: the workers take it (the free step on whichever is woken first).
        var id = (await admin.StartAsync(HostWaitTextTests.Workflow.Replace("APPROVER", Environment.UserName, StringComparison.Ordinal), "DC01")).Id;
        await UntilStatusAsync(admin, id, InstanceStatus.Waiting);
        var approve = await Support.Cli.RunAsync(_directory.Path, _key, environment, "approve", id.ToString(), "--step", "board", "--comment", "go", "--store", cliStore);
        approve.ExitCode.Should().Be(0, approve.Stdout + approve.Stderr);
        await UntilStatusAsync(admin, id, InstanceStatus.Completed);

        var done = (await admin.Store.FindAsync(id))!;
        done.Steps.Single(s => s.Id == "install").Output!["host"]!.GetValue<string>().Should().Be("DC01");
        done.Steps.Single(s => s.Id == "install").Output!["processId"]!.GetValue<int>().Should().Be(dc01.Id);
        var journal = await admin.Store.ReadJournalAsync(id);
        journal.Count(e => e.Kind == JournalKinds.StepStarted && e.Step == "install").Should().Be(1, "DC02's worker, polling every second, never started it");
        TestInstances.VerifyChain(_key.Key, id, journal).Should().BeNull();
    }

    /// <summary>Waits (bounded: real worker processes do the work) until the instance reaches <paramref name="status"/>.</summary>
    private static async Task UntilStatusAsync(SharedStoreHost host, InstanceId id, InstanceStatus status)
    {
        var clock = Stopwatch.StartNew();
        while ((await host.Store.FindAsync(id))!.Status != status)
        {
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(45), $"the workers should bring {id} to {status}");
            await Task.Yield();
        }
    }
}
