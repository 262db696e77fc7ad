using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Cli.Tests.Support;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Hosting;
using MdiFlow.Journal;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Cli.Tests.Commands;

/// <summary>An embedder's own gate kinds, opened by the embedder's host on a shared store and acted on with <c>mdiflow complete</c>.</summary>
[Collection(CliCollection.Name)]
public sealed class CustomGateCommandTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task A_custom_gate_decided_as_a_manual_task_is_released_with_mdiflow_complete()
    {
        var id = await OpenAsync(decidedAsManualTask: true);

        var done = cli.Mdiflow(_ws.Root, "complete", id, "--step", "vendor", "--evidence", "ticket VND-42 closed", "--store", _ws.Store, "--json");

        done.ExitCode.Should().Be(0, done.ToString());
        var shown = Workspace.Json(done);
        shown["status"]!.GetValue<string>().Should().Be("ready");
        shown["steps"]![0]!["output"]!["evidence"]!.GetValue<string>().Should().Be("ticket VND-42 closed");
    }

    [Fact]
    public async Task A_custom_gate_whose_rules_this_process_lacks_is_refused_and_keeps_waiting()
    {
        var id = await OpenAsync(decidedAsManualTask: false);

        var refused = cli.Mdiflow(_ws.Root, "complete", id, "--step", "vendor", "--evidence", "trust me", "--store", _ws.Store);

        refused.ExitCode.Should().Be(5, refused.ToString());
        refused.Stderr.Should().Contain("waits at a 'vendorSignOff' gate, and this process has no decision rules for that kind");
        Workspace.Json(cli.Mdiflow(_ws.Root, "show", id, "--json", "--store", _ws.Store))["status"]!.GetValue<string>().Should().Be("waiting");
    }

    public void Dispose() => _ws.Dispose();

    /// <summary>The embedder's host: its own activity on the same store (and its key), run until it waits at the gate.</summary>
    private async Task<string> OpenAsync(bool decidedAsManualTask)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new VendorGateOptions(decidedAsManualTask));
        services.AddMdiFlow(flow => flow.UseSqlite(_ws.StorePath)).AddActivity<VendorSignOffActivity>();
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<WorkflowEngine>();
        var definition = provider.GetRequiredService<WorkflowValidator>().Parse("""
            { "id": "vendor", "steps": [ { "id": "vendor", "uses": "test.vendorSignOff" } ] }
            """).Definition!;
        var me = new Actor(Environment.UserName, ActorSources.OperatingSystem);
        var instance = await engine.StartAsync(definition, new StartRequest { Actor = me });
        var result = await engine.RunAsync(instance.Id, new RunRequest { Actor = me });
        result.Instance.Steps[0].Gate!.Kind.Should().Be("vendorSignOff");
        return instance.Id.Value;
    }
}

internal sealed record VendorGateOptions(bool DecidedAsManualTask);

[Activity("test.vendorSignOff", Description = "Waits for the vendor's sign-off.", IsGate = true, Recovery = RecoveryMode.Idempotent, Rehearsal = RehearsalMode.Harmless)]
internal sealed class VendorSignOffActivity(VendorGateOptions options) : IActivity
{
    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        ValueTask.FromResult(ActivityResult.Wait(new GateRequest("vendorSignOff", new JsonObject { ["instructions"] = "Record the vendor's sign-off ticket." })
        {
            DecidedAs = options.DecidedAsManualTask ? GateKinds.ManualTask : null,
        }));
}
