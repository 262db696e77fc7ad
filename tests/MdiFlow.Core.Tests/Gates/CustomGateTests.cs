using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Core.Tests.Support;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Policy;

namespace MdiFlow.Core.Tests.Gates;

/// <summary>An embedder's own gate kind, released through the engine with its own rules, and every way around them tried.</summary>
public sealed class CustomGateTests : IAsyncDisposable
{
    private static readonly Actor Bob = new("bob", ActorSources.OperatingSystem);
    private static readonly Actor Carol = new("carol", ActorSources.OperatingSystem);
    private static readonly Actor Eve = new("eve", ActorSources.OperatingSystem);
    private EngineFixture _f = new(b => b.AddGateDecider<TwoKeyDecider>());

    private const string Workflow = """
        { "id": "w", "steps": [ { "id": "keys", "uses": "test.twoKeys", "with": { } }, { "id": "after", "uses": "test.echo", "with": { "message": "{{ steps.keys.output.by }}" } } ] }
        """;

    [Fact]
    public async Task Two_keyholders_release_the_gate_through_ActAsync_and_the_run_goes_on()
    {
        var id = (await _f.StartAndRunAsync(_f.Parse(Workflow))).Instance.Id;

        var first = await _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Approve, Actor = Bob });
        var second = await _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Approve, Actor = Carol, Text = "turned" });
        var done = await _f.Engine.RunAsync(id, new RunRequest { Actor = EngineFixture.Alice });

        first.Note.Should().Be("1 of 2 keys turned.");
        first.Instance.Status.Should().Be(InstanceStatus.Waiting);
        second.Instance.Status.Should().Be(InstanceStatus.Ready);
        done.Status.Should().Be(InstanceStatus.Completed);
        done.Instance.Steps[1].Output!["message"]!.GetValue<string>().Should().Be("bob,carol");
        var journal = await _f.Store.ReadJournalAsync(id);
        journal.Where(e => e.Step == "keys" && e.Kind.StartsWith("gate.", StringComparison.Ordinal)).Select(e => (e.Kind, e.Actor)).Should().Equal(
            (GateKeeper.Decided, "bob"), (GateKeeper.Satisfied, "carol"));
    }

    [Fact]
    public async Task The_gates_own_rules_refuse_and_a_reject_ends_the_instance()
    {
        var id = (await _f.StartAndRunAsync(_f.Parse(Workflow))).Instance.Id;
        await _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Approve, Actor = Bob });

        await FluentActions.Awaiting(() => _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Approve, Actor = Bob }))
            .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("bob has already turned a key.");
        var rejected = await _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Reject, Actor = Carol, Text = "wrong server" });

        rejected.Instance.Status.Should().Be(InstanceStatus.Rejected);
        rejected.Instance.Steps[0].Error!.Message.Should().Be("Rejected by carol: wrong server");
    }

    [Fact]
    public async Task Someone_the_gate_does_not_list_is_refused_before_the_decider_is_asked()
    {
        var id = (await _f.StartAndRunAsync(_f.Parse(Workflow))).Instance.Id;
        var instance = await _f.Engine.GetAsync(id);

        _f.Engine.Permission(instance, Eve, GateAction.Approve).Should().Be(GatePermission.No($"eve may not act at step 'keys' of instance {id}: the gate admits user:bob, user:carol, user:alice."));
        await FluentActions.Awaiting(() => _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Approve, Actor = Eve }))
            .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("eve may not act*");
        (await _f.Engine.GetAsync(id)).Steps[0].Gate!.Details["turned"].Should().BeNull("the decider, which would have counted eve's key, was never asked");
    }

    [Fact]
    public async Task An_asserted_name_cannot_act_at_a_custom_gate_of_a_real_instance()
    {
        var id = (await _f.StartAndRunAsync(_f.Parse(Workflow))).Instance.Id;

        await FluentActions.Awaiting(() => _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Approve, Actor = new Actor("bob", ActorSources.Asserted) }))
            .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("The name 'bob' is asserted*");
    }

    [Fact]
    public async Task The_policy_keeps_requesters_from_approving_their_own_work_requires_its_group_and_its_sign_in_rules()
    {
        await _f.DisposeAsync();
        var policy = OrganisationPolicy.Default with
        {
            Groups = new Dictionary<string, IReadOnlyList<string>> { ["cab"] = ["alice", "bob"] },
            Gates = OrganisationPolicy.Default.Gates with { RequesterMayApprove = false, RequiredApproverGroup = "cab" },
            Decisions = OrganisationPolicy.Default.Decisions with { RequireMfa = true, TrustedIssuers = ["https://login.example/v2.0"] },
        };
        _f = new EngineFixture(b => b.AddGateDecider<TwoKeyDecider>().UsePolicy(policy));
        var id = (await _f.StartAndRunAsync(_f.Parse(Workflow))).Instance.Id;

        await FluentActions.Awaiting(() => _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Approve, Actor = EngineFixture.Alice }))
            .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("alice started instance * and so cannot approve it*");
        await FluentActions.Awaiting(() => _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Approve, Actor = Carol }))
            .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("*requires membership of group 'cab'*");
        await FluentActions.Awaiting(() => _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Approve, Actor = Bob }))
            .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("The organisation policy requires decisions to be signed in with multi-factor authentication*");
        var noMfa = new Actor("bob", ActorSources.OpenIdConnect) { Claims = new Dictionary<string, string> { ["amr"] = "pwd", ["iss"] = "https://login.example/v2.0" } };
        await FluentActions.Awaiting(() => _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Approve, Actor = noMfa }))
            .Should().ThrowAsync<ReauthenticationRequiredException>();
        (await _f.Engine.GetAsync(id)).Steps[0].Gate!.Details["turned"].Should().BeNull("nothing was recorded");
    }

    [Fact]
    public async Task Without_a_decider_for_its_kind_a_custom_gate_cannot_be_released_and_stays_waiting()
    {
        await _f.DisposeAsync();
        _f = new EngineFixture();
        var id = (await _f.StartAndRunAsync(_f.Parse(Workflow))).Instance.Id;

        await FluentActions.Awaiting(() => _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Complete, Actor = Bob }))
            .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("*waits at a 'twoKeys' gate, and this process has no decision rules for that kind*");
        (await _f.Engine.GetAsync(id)).Status.Should().Be(InstanceStatus.Waiting);
    }

    [Fact]
    public async Task A_custom_gate_decided_as_a_manual_task_follows_the_manual_task_rules_without_a_decider()
    {
        var id = (await _f.StartAndRunAsync(_f.Parse("""{ "id": "w", "steps": [ { "id": "sign", "uses": "test.signOff" } ] }"""))).Instance.Id;

        await FluentActions.Awaiting(() => _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Complete, Actor = Eve, Text = "me" }))
            .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("eve is not an assignee*");
        await _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Assign, Actor = Carol });
        var done = await _f.Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Complete, Actor = Carol, Text = "signed" });

        done.Instance.Status.Should().Be(InstanceStatus.Ready);
        done.Instance.Steps[0].Output!["completedBy"]!.GetValue<string>().Should().Be("carol");
    }

    [Fact]
    public void A_decider_cannot_replace_the_rules_of_approval_or_manual_task_gates()
    {
        var build = () => new EngineFixture(b => b.AddGateDecider<ApprovalHijacker>()).Engine;

        build.Should().Throw<InvalidOperationException>().WithMessage("*ApprovalHijacker would decide 'approval' gates, whose rules are the engine's own*");
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();
}

/// <summary>Opens a gate that two of its keyholders must turn.</summary>
[Activity("test.twoKeys", Description = "Waits for two keyholders.", IsGate = true, Recovery = RecoveryMode.Idempotent)]
internal sealed class TwoKeysActivity : IActivity
{
    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        ValueTask.FromResult(ActivityResult.Wait(new GateRequest("twoKeys", new JsonObject { ["approvers"] = new JsonArray("user:bob", "user:carol", "user:alice"), ["turned"] = null })));
}

/// <summary>An embedder's sign-off gate, decided by the manual-task rules.</summary>
[Activity("test.signOff", Description = "Waits for a sign-off.", IsGate = true, Recovery = RecoveryMode.Idempotent)]
internal sealed class SignOffActivity : IActivity
{
    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        ValueTask.FromResult(ActivityResult.Wait(new GateRequest("signOff", new JsonObject { ["instructions"] = "Sign off.", ["assignees"] = new JsonArray("user:carol") }) { DecidedAs = GateKinds.ManualTask }));
}

/// <summary>The rules of the two-key gate: each keyholder turns once; two turns release it; any one rejects it.</summary>
internal sealed class TwoKeyDecider : IGateDecider
{
    public string Kind => "twoKeys";

    public GateVerdict Decide(GateDecisionContext context)
    {
        var turned = context.Details["turned"] is JsonArray a ? a.Select(n => n!.GetValue<string>()).ToList() : [];
        if (context.Action == GateAction.Reject)
        {
            return GateVerdict.Reject(context.Text ?? "");
        }

        if (turned.Contains(context.Actor.Name))
        {
            return GateVerdict.Refuse($"{context.Actor.Name} has already turned a key.");
        }

        turned.Add(context.Actor.Name);
        if (turned.Count >= 2)
        {
            return GateVerdict.Release(new JsonObject { ["by"] = string.Join(",", turned) });
        }

        var details = context.Details;
        details["turned"] = new JsonArray([.. turned.Select(t => (JsonNode?)t)]);
        return GateVerdict.KeepWaiting(details, $"{turned.Count} of 2 keys turned.");
    }
}

/// <summary>An attempt to take over the approval gate's rules.</summary>
internal sealed class ApprovalHijacker : IGateDecider
{
    public string Kind => GateKinds.Approval;

    public GateVerdict Decide(GateDecisionContext context) => GateVerdict.Release();
}
