using MdiFlow.Core.Tests.Support;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Policy;

namespace MdiFlow.Core.Tests.Gates;

public sealed class ApprovalGateTests : IAsyncDisposable
{
    private static readonly Actor Bob = new("bob", ActorSources.OperatingSystem);
    private static readonly Actor Carol = new("carol", ActorSources.OperatingSystem);
    private static readonly Actor Dave = new("dave", ActorSources.OperatingSystem);
    private static readonly Actor Mallory = new("mallory", ActorSources.OperatingSystem);

    private EngineFixture _f = new(b => b.UsePolicy(Policy("""{ "groups": { "change-board": ["bob", "carol", "dave"] } }""")));

    private static OrganisationPolicy Policy(string json) => OrganisationPolicy.Parse(json, "test policy");

    private WorkflowDefinition Gated(string with) => _f.Parse($$$"""
        { "id": "gated", "steps": [
          { "id": "check", "uses": "test.echo", "with": { "message": "licence ok" } },
          { "id": "board", "uses": "approval", "with": { {{{with}}}, "instructions": "Check: {{ steps.check.output.message }}" } },
          { "id": "install", "uses": "test.echo", "with": { "message": "installing" } } ] }
        """);

    private Task<GateActionResult> Act(InstanceId id, GateAction action, Actor actor, string? text = null) =>
        _f.Engine.ActAsync(id, new GateActionRequest { Action = action, Actor = actor, Text = text });

    [Fact]
    public async Task A_run_stops_at_the_gate_and_after_the_required_distinct_approvals_resume_runs_the_next_step()
    {
        var waiting = await _f.StartAndRunAsync(Gated("\"approvers\": [\"group:change-board\"], \"minApprovals\": 2"));
        waiting.Status.Should().Be(InstanceStatus.Waiting);
        var gate = ApprovalGate.From(waiting.Instance.Steps[1].Gate!.Details);
        gate.Instructions.Should().Be("Check: licence ok");
        _f.Effects.CountOf("install").Should().Be(0);

        (await Act(waiting.Instance.Id, GateAction.Approve, Bob, "looks fine")).Instance.Status.Should().Be(InstanceStatus.Waiting);
        var twice = await Act(waiting.Instance.Id, GateAction.Approve, Bob);
        twice.Note.Should().Be("bob has already approved step 'board'; an approval counts once. It has 1 of 2 approvals.");
        twice.Instance.Status.Should().Be(InstanceStatus.Waiting);
        var approved = await Act(waiting.Instance.Id, GateAction.Approve, Carol);
        approved.Instance.Status.Should().Be(InstanceStatus.Ready);
        approved.Instance.Steps[1].Output!["approvedBy"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("bob", "carol");

        var done = await _f.Engine.RunAsync(waiting.Instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        done.Status.Should().Be(InstanceStatus.Completed);
        _f.Effects.CountOf("install").Should().Be(1);
        var journal = await _f.Store.ReadJournalAsync(waiting.Instance.Id);
        journal.Where(e => e.Kind == GateKeeper.Decided).Select(e => e.Actor).Should().Equal("bob", "carol");
        _f.Verify(waiting.Instance.Id, journal).Should().BeNull();
    }

    [Fact]
    public async Task The_requester_cannot_approve_unless_both_policy_and_workflow_allow_it()
    {
        await using (var strict = new EngineFixture(b => b.UsePolicy(Policy("""{ "groups": { "ops": ["alice", "bob"] } }"""))))
        {
            _f = strict;
            var run = await _f.StartAndRunAsync(Gated("\"approvers\": [\"group:ops\"], \"requesterMayApprove\": true"));
            var own = () => Act(run.Instance.Id, GateAction.Approve, EngineFixture.Alice);
            (await own.Should().ThrowAsync<ActionNotAllowedException>()).Which.Message.Should()
                .Be($"alice started instance {run.Instance.Id} and so cannot approve it: the organisation policy does not let requesters approve their own changes. Ask one of: group:ops.");
        }

        await using (var lenient = new EngineFixture(b => b.UsePolicy(Policy("""{ "groups": { "ops": ["alice"] }, "gates": { "requesterMayApprove": true } }"""))))
        {
            _f = lenient;
            var refused = await _f.StartAndRunAsync(Gated("\"approvers\": [\"group:ops\"]"));
            await FluentActions.Awaiting(() => Act(refused.Instance.Id, GateAction.Approve, EngineFixture.Alice))
                .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("*the workflow does not let requesters approve*");

            var allowed = await _f.StartAndRunAsync(Gated("\"approvers\": [\"group:ops\"], \"requesterMayApprove\": true"));
            (await Act(allowed.Instance.Id, GateAction.Approve, EngineFixture.Alice)).Instance.Status.Should().Be(InstanceStatus.Ready);
        }
    }

    [Fact]
    public async Task A_non_member_is_refused_and_a_rejection_ends_the_instance_rejected()
    {
        var run = await _f.StartAndRunAsync(Gated("\"approvers\": [\"group:change-board\"]"));

        await FluentActions.Awaiting(() => Act(run.Instance.Id, GateAction.Approve, Mallory))
            .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("mallory may not decide step 'board'*the approvers are group:change-board.");
        await FluentActions.Awaiting(() => Act(run.Instance.Id, GateAction.Reject, Mallory, "no"))
            .Should().ThrowAsync<ActionNotAllowedException>();

        var rejected = await Act(run.Instance.Id, GateAction.Reject, Dave, "change freeze this week");
        rejected.Instance.Status.Should().Be(InstanceStatus.Rejected);
        rejected.Instance.Steps[1].Error!.Message.Should().Be("Rejected by dave: change freeze this week");
        (await _f.Engine.RunAsync(run.Instance.Id, new RunRequest { Actor = EngineFixture.Alice })).Status.Should().Be(InstanceStatus.Rejected);
        _f.Effects.CountOf("install").Should().Be(0);
        await FluentActions.Awaiting(() => Act(run.Instance.Id, GateAction.Approve, Bob)).Should().ThrowAsync<InstanceStateException>();
    }

    [Fact]
    public async Task A_workflow_asking_for_one_approval_under_a_policy_floor_of_two_needs_two()
    {
        await using var floored = new EngineFixture(b => b.UsePolicy(Policy("""{ "groups": { "cab": ["bob", "carol"] }, "gates": { "minApprovals": 2 } }""")));
        _f = floored;
        var run = await _f.StartAndRunAsync(Gated("\"approvers\": [\"group:cab\"], \"minApprovals\": 1"));

        (await Act(run.Instance.Id, GateAction.Approve, Bob)).Instance.Status.Should().Be(InstanceStatus.Waiting);
        (await Act(run.Instance.Id, GateAction.Approve, Carol)).Instance.Status.Should().Be(InstanceStatus.Ready);
        ApprovalGate.From(run.Instance.Steps[1].Gate!.Details).PolicyHash.Should().Be(_f.Services.GetService(typeof(OrganisationPolicy)) is OrganisationPolicy p ? p.Hash : "");
    }

    [Fact]
    public async Task An_expired_gate_is_rejected_by_default()
    {
        var run = await _f.StartAndRunAsync(Gated("\"approvers\": [\"group:change-board\"], \"expiresAfter\": \"PT4H\""));
        _f.Time.Advance(TimeSpan.FromHours(3));
        (await _f.Engine.RefreshAsync(run.Instance.Id)).Status.Should().Be(InstanceStatus.Waiting);

        _f.Time.Advance(TimeSpan.FromHours(1));
        var expired = await _f.Engine.RefreshAsync(run.Instance.Id);

        expired.Status.Should().Be(InstanceStatus.Rejected);
        expired.Steps[1].Error!.Message.Should().StartWith("Rejected by mdiflow: the gate expired at");
        (await _f.Store.ReadJournalAsync(run.Instance.Id)).Should().Contain(e => e.Kind == GateKeeper.Expired && e.ActorSource == ActorSources.Engine);
    }

    [Fact]
    public async Task An_expired_gate_escalates_once_to_other_approvers_then_rejects()
    {
        var run = await _f.StartAndRunAsync(Gated("\"approvers\": [\"user:bob\"], \"expiresAfter\": \"PT1H\", \"onExpiry\": \"escalate\", \"escalateTo\": [\"user:dave\"]"));
        _f.Time.Advance(TimeSpan.FromHours(1));

        var escalated = await _f.Engine.RefreshAsync(run.Instance.Id);
        escalated.Status.Should().Be(InstanceStatus.Waiting);
        ApprovalGate.From(escalated.Steps[1].Gate!.Details).Approvers.Should().Equal("user:dave");
        await FluentActions.Awaiting(() => Act(run.Instance.Id, GateAction.Approve, Bob)).Should().ThrowAsync<ActionNotAllowedException>();

        _f.Time.Advance(TimeSpan.FromHours(1));
        (await _f.Engine.RefreshAsync(run.Instance.Id)).Status.Should().Be(InstanceStatus.Rejected);
    }

    [Fact]
    public async Task The_policy_caps_the_expiry_a_workflow_asks_for()
    {
        await using var capped = new EngineFixture(b => b.UsePolicy(Policy("""{ "groups": { "cab": ["bob"] }, "gates": { "maxExpiry": "PT2H" } }""")));
        _f = capped;
        var run = await _f.StartAndRunAsync(Gated("\"approvers\": [\"group:cab\"], \"expiresAfter\": \"P7D\""));

        ApprovalGate.From(run.Instance.Steps[1].Gate!.Details).ExpiresAt.Should().Be(_f.Time.GetUtcNow() + TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task Approvals_racing_on_one_gate_are_all_recorded_and_it_opens_exactly_once()
    {
        var run = await _f.StartAndRunAsync(Gated("\"approvers\": [\"group:change-board\"], \"minApprovals\": 3"));
        var engines = new[] { _f.Engine, _f.SecondEngine(), _f.SecondEngine() };

        await Task.WhenAll(new[] { Bob, Carol, Dave }.Select((actor, i) => Task.Run(() =>
            engines[i].ActAsync(run.Instance.Id, new GateActionRequest { Action = GateAction.Approve, Actor = actor }))));

        var journal = await _f.Store.ReadJournalAsync(run.Instance.Id);
        journal.Where(e => e.Kind == GateKeeper.Decided).Select(e => e.Actor).Should().BeEquivalentTo("bob", "carol", "dave");
        journal.Count(e => e.Kind == GateKeeper.Satisfied).Should().Be(1);
        (await _f.Engine.GetAsync(run.Instance.Id)).Status.Should().Be(InstanceStatus.Ready);
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();
}
