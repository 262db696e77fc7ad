using MdiFlow.Core.Tests.Support;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Core.Tests.Gates;

public sealed class ManualTaskTests : IAsyncDisposable
{
    private readonly EngineFixture _f = new();

    [Fact]
    public async Task A_manual_task_is_completed_by_an_assignee_with_evidence_and_the_run_goes_on()
    {
        var run = await _f.StartAndRunAsync(_f.Parse("""
            { "id": "portal", "steps": [
              { "id": "createInstance", "uses": "manualTask", "with": { "instructions": "Open Settings > Identities once.", "assignees": ["user:bob"] } },
              { "id": "next", "uses": "test.echo", "with": { "message": "{{ steps.createInstance.output.evidence }}" } } ] }
            """));
        run.Status.Should().Be(InstanceStatus.Waiting);
        ManualTaskGate.From(run.Instance.Steps[0].Gate!.Details).Instructions.Should().Be("Open Settings > Identities once.");

        await FluentActions.Awaiting(() => _f.Engine.ActAsync(run.Instance.Id, new GateActionRequest { Action = GateAction.Complete, Actor = new Actor("eve", ActorSources.OperatingSystem), Text = "done" }))
            .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("eve is not an assignee*user:bob.");
        await FluentActions.Awaiting(() => _f.Engine.ActAsync(run.Instance.Id, new GateActionRequest { Action = GateAction.Approve, Actor = new Actor("bob", ActorSources.OperatingSystem) }))
            .Should().ThrowAsync<InstanceStateException>().WithMessage("*is a manualTask gate; use complete.");
        var done = await _f.Engine.ActAsync(run.Instance.Id, new GateActionRequest { Action = GateAction.Complete, Actor = new Actor("bob", ActorSources.OperatingSystem), Text = "workspace contoso created" });

        done.Instance.Status.Should().Be(InstanceStatus.Ready);
        (await _f.Engine.RunAsync(run.Instance.Id, new RunRequest { Actor = EngineFixture.Alice })).Instance.Steps[1].Output!["message"]!.GetValue<string>()
            .Should().Be("workspace contoso created");
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();
}
