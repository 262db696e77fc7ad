using MdiFlow.Instances;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests.Cli;

/// <summary><c>mdiflow show</c> on a shared store: which host a step waits for, and whether that host's worker is alive (its heartbeats).</summary>
public sealed class HostWaitTextTests : DatabaseTest
{
    /// <summary>A free step, an approval, a host-affine step and a free one; the approver is <c>APPROVER</c>.</summary>
    internal const string Workflow = """
        { "id": "affine", "steps": [
          { "id": "graph", "uses": "test.anywhere" },
          { "id": "board", "uses": "approval", "with": { "approvers": ["user:APPROVER"], "requesterMayApprove": true } },
          { "id": "install", "uses": "test.onHost" },
          { "id": "report", "uses": "test.anywhere" } ] }
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
    public async Task Show_names_the_host_a_step_waits_for_and_whether_its_worker_is_alive()
    {
        await using var admin = new SharedStoreHost(Database, "ADMIN01", TimeProvider.System, keyFile: _key.File);
        var started = await admin.StartAsync(Workflow.Replace("APPROVER", Environment.UserName, StringComparison.Ordinal), "DC01");
        (await admin.Engine.RunAsync(started.Id, new Engine.RunRequest { Actor = SharedStoreHost.Owner })).Status.Should().Be(InstanceStatus.Waiting);
        var (store, environment) = CliStore();

        var unseen = await Support.Cli.RunAsync(_directory.Path, _key, environment, "show", started.Id.ToString(), "--store", store);
        await using var worker = CliProcess.StartHostWorker(Database.ConnectionString, _key.File, "DC01", "--interval", "60");
        await worker.WaitForLineAsync("Listening for wake-ups of host DC01", TimeSpan.FromSeconds(60));
        var alive = await Support.Cli.RunAsync(_directory.Path, _key, environment, "show", started.Id.ToString(), "--store", store);

        unseen.ExitCode.Should().Be(0, unseen.Stderr);
        unseen.Stdout.Should().Contain("Host      step 'install' runs only on DC01: no worker of DC01 has been seen; start 'mdiflow worker --host DC01' there.");
        alive.ExitCode.Should().Be(0, alive.Stderr);
        alive.Stdout.Should().Contain($"Host      step 'install' runs only on DC01: its worker is alive (process {worker.Id}, last heartbeat ");
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(16));
        (await admin.Store.ReadWorkersAsync(later)).Should().ContainSingle(w => w.Host == "DC01" && w.ProcessId == worker.Id)
            .Which.Alive.Should().BeFalse("three heartbeats (15 s) without one and the worker counts as gone");
    }

    /// <summary>The store as the CLI is given it: the connection string without its password, which goes in PGPASSWORD.</summary>
    private (string Store, Dictionary<string, string> Environment) CliStore()
    {
        var builder = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = builder.Password! };
        builder.Password = null;
        return ("postgres:" + builder.ConnectionString, environment);
    }
}
