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
            .Should().ThrowAsync<InstanceStateException>().WithMessage("*is a manualTask gate; use complete, reject, assign or unassign.");
        var done = await _f.Engine.ActAsync(run.Instance.Id, new GateActionRequest { Action = GateAction.Complete, Actor = new Actor("bob", ActorSources.OperatingSystem), Text = "workspace contoso created" });

        done.Instance.Status.Should().Be(InstanceStatus.Ready);
        (await _f.Engine.RunAsync(run.Instance.Id, new RunRequest { Actor = EngineFixture.Alice })).Instance.Steps[1].Output!["message"]!.GetValue<string>()
            .Should().Be("workspace contoso created");
    }

    [Fact]
    public async Task Assign_to_me_lets_only_the_assigned_person_complete_until_it_is_unassigned_and_each_change_is_journaled()
    {
        var run = await _f.StartAndRunAsync(_f.Parse("""
            { "id": "portal", "steps": [ { "id": "task", "uses": "manualTask", "with": { "instructions": "Do it.", "assignees": ["user:bob", "user:carol"] } } ] }
            """));
        var id = run.Instance.Id;
        var bob = new Actor("bob", ActorSources.OperatingSystem);
        var carol = new Actor("carol", ActorSources.OperatingSystem);
        var eve = new Actor("eve", ActorSources.OperatingSystem);
        Task<GateActionResult> Act(GateAction action, Actor actor) => _f.Engine.ActAsync(id, new GateActionRequest { Action = action, Actor = actor, Text = "done" });

        await FluentActions.Awaiting(() => Act(GateAction.Assign, eve)).Should().ThrowAsync<ActionNotAllowedException>().WithMessage("eve is not an assignee*");
        var assigned = await Act(GateAction.Assign, bob);
        ManualTaskGate.From(assigned.Instance.Steps[0].Gate!.Details).AssignedTo.Should().Be("bob");
        _f.Engine.Permission(assigned.Instance, carol, GateAction.Complete).Should().Be(GatePermission.No($"Step 'task' of instance {id} is assigned to bob; only they may complete or reject it until it is unassigned."));
        _f.Engine.Permission(assigned.Instance, carol, GateAction.Assign).Allowed.Should().BeFalse();
        _f.Engine.Permission(assigned.Instance, bob, GateAction.Complete).Allowed.Should().BeTrue();
        await FluentActions.Awaiting(() => Act(GateAction.Complete, carol)).Should().ThrowAsync<ActionNotAllowedException>().WithMessage("*assigned to bob*");
        await FluentActions.Awaiting(() => Act(GateAction.Reject, carol)).Should().ThrowAsync<ActionNotAllowedException>().WithMessage("*assigned to bob*");
        await FluentActions.Awaiting(() => Act(GateAction.Assign, carol)).Should().ThrowAsync<ActionNotAllowedException>().WithMessage("*assigned to bob; it must be unassigned*");

        await Act(GateAction.Unassign, carol);
        await Act(GateAction.Assign, carol);
        var done = await Act(GateAction.Complete, carol);

        done.Instance.Status.Should().Be(InstanceStatus.Ready);
        var journal = await _f.Store.ReadJournalAsync(id);
        journal.Where(e => e.Kind is GateKeeper.Assigned or GateKeeper.Unassigned).Select(e => (e.Kind, e.Actor, e.Data)).Should().Equal(
            (GateKeeper.Assigned, "bob", """{"to":"bob"}"""),
            (GateKeeper.Unassigned, "carol", """{"from":"bob"}"""),
            (GateKeeper.Assigned, "carol", """{"to":"carol"}"""));
    }

    [Fact]
    public async Task Only_manual_tasks_are_assigned_and_an_unassigned_task_cannot_be_unassigned()
    {
        var task = await _f.StartAndRunAsync(_f.Parse("""{ "id": "t", "steps": [ { "id": "task", "uses": "manualTask", "with": { "instructions": "Do it." } } ] }"""));
        var approval = await _f.StartAndRunAsync(_f.Parse("""{ "id": "a", "steps": [ { "id": "board", "uses": "approval", "with": { "approvers": ["user:bob"] } } ] }"""));
        var bob = new Actor("bob", ActorSources.OperatingSystem);

        await FluentActions.Awaiting(() => _f.Engine.ActAsync(task.Instance.Id, new GateActionRequest { Action = GateAction.Unassign, Actor = bob }))
            .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("*is not assigned to anyone.");
        await FluentActions.Awaiting(() => _f.Engine.ActAsync(approval.Instance.Id, new GateActionRequest { Action = GateAction.Assign, Actor = bob }))
            .Should().ThrowAsync<InstanceStateException>().WithMessage("*is a approval gate; use approve or reject.");
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();
}
