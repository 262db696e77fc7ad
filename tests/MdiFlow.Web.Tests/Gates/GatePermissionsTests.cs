using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Engine;
using MdiFlow.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Web.Gates;
using MdiFlow.Web.Tests.Support;

namespace MdiFlow.Web.Tests.Gates;

public sealed class GatePermissionsTests
{
    private readonly GatePermissions _permissions = new(Engine());

    [Fact]
    public void A_board_member_may_approve_and_reject_and_after_approving_only_reject()
    {
        var gate = Approval(requester: "alice", decisions: []);
        var approved = Approval(requester: "alice", decisions: [new GateDecision("bob", "oidc", "approve", default, null)]);

        _permissions.For(gate, Bob).Should().Be(new Permissions(true, true, false, null));
        _permissions.For(gate, Bob).Any.Should().BeTrue();
        var after = _permissions.For(approved, Bob);
        (after.Approve, after.Reject).Should().Be((false, true));
        after.Why.Should().Contain("has already approved");
    }

    [Fact]
    public void The_requester_may_not_approve_even_as_a_board_member_and_an_outsider_may_do_nothing()
    {
        var own = _permissions.For(Approval(requester: "CONTOSO\\bob", decisions: []), Bob);
        var outsider = _permissions.For(Approval(requester: "dave", decisions: []), SignedIn("alice"));

        (own.Approve, own.Reject).Should().Be((false, true));
        own.Why.Should().Contain("started");
        outsider.Any.Should().BeFalse();
        outsider.Why.Should().Contain("group:change-board");
    }

    [Fact]
    public void Groups_the_identity_provider_vouched_for_show_the_buttons_the_engine_would_accept()
    {
        var withTokenGroup = SignedIn("erin") with { Groups = ["change-board"] };
        var withOtherGroup = SignedIn("erin") with { Groups = ["helpdesk"] };

        _permissions.For(Approval(requester: "alice", decisions: []), withTokenGroup).Should().Be(new Permissions(true, true, false, null));
        _permissions.For(Approval(requester: "alice", decisions: []), withOtherGroup).Any.Should().BeFalse();
    }

    [Fact]
    public void A_sign_in_from_an_issuer_the_policy_does_not_trust_shows_no_buttons_and_says_why()
    {
        var elsewhere = _permissions.For(Approval(requester: "alice", decisions: []), SignedIn("bob", "https://evil.test/v2.0"));

        elsewhere.Any.Should().BeFalse();
        elsewhere.Why.Should().Contain("https://evil.test/v2.0").And.Contain("decisions.trustedIssuers");
    }

    [Fact]
    public void A_manual_task_may_be_completed_by_its_assignees_or_by_anyone_when_it_has_none()
    {
        _permissions.For(Task([]), SignedIn("alice")).Should().Be(new Permissions(false, true, true, null) { Assign = true });
        _permissions.For(Task(["user:carol"]), Bob).Any.Should().BeFalse();
        _permissions.For(Task(["user:carol"]), Bob).Why.Should().Contain("carol");
        _permissions.For(Task(["group:change-board"]), Bob).Complete.Should().BeTrue();
    }

    [Fact]
    public void A_taken_task_shows_its_holder_complete_reject_and_give_back_and_another_assignee_only_unassign()
    {
        var taken = Task(["group:change-board"], assignedTo: "carol");

        _permissions.For(taken, SignedIn("carol")).Should().Be(new Permissions(false, true, true, null) { Unassign = true, Holds = true });
        var dave = _permissions.For(taken, SignedIn("dave"));
        dave.Should().Be(new Permissions(false, false, false, dave.Why) { Unassign = true });
        dave.Any.Should().BeFalse("a task carol took does not wait for dave");
        dave.Why.Should().Contain("is assigned to carol");
        _permissions.For(taken, SignedIn("alice")).Should().Be(new Permissions(false, false, false, "alice is not an assignee of step 'gate' of instance " + taken.Instance.Id + "; it is assigned to: group:change-board."));
    }

    [Fact]
    public void An_embedders_gate_decided_as_a_manual_task_is_offered_as_one()
    {
        var request = new GateRequest("signOff", new ManualTaskGate { Instructions = "Sign off.", Assignees = ["user:carol"] }.ToJson()) { DecidedAs = GateKinds.ManualTask };
        var gate = Waiting("alice", request);

        gate.Kind.Should().Be("signOff");
        gate.Task!.Instructions.Should().Be("Sign off.");
        _permissions.For(gate, SignedIn("carol")).Should().Be(new Permissions(false, true, true, null) { Assign = true });
        _permissions.For(Waiting("alice", request with { DecidedAs = null }), SignedIn("carol")).Any.Should().BeFalse();
    }

    private const string Issuer = "https://issuer.test/v2.0";

    private static Actor Bob { get; } = SignedIn("bob");

    private static Actor SignedIn(string name, string issuer = Issuer) =>
        new(name, ActorSources.OpenIdConnect) { Claims = new Dictionary<string, string> { ["iss"] = issuer } };

    /// <summary>The real engine with the web tests' policy and an in-memory store: the permissions are its answers.</summary>
    private static WorkflowEngine Engine()
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow.UseInMemoryStore().UsePolicy(WebHarness.PolicyTrusting(Issuer)));
        return services.BuildServiceProvider().GetRequiredService<WorkflowEngine>();
    }

    private static WaitingGate Approval(string requester, IReadOnlyList<GateDecision> decisions) =>
        Waiting(requester, new GateRequest(GateKinds.Approval, new ApprovalGate { Approvers = ["group:change-board"], Decisions = decisions }.ToJson()));

    private static WaitingGate Task(IReadOnlyList<string> assignees, string? assignedTo = null) =>
        Waiting("alice", new GateRequest(GateKinds.ManualTask, new ManualTaskGate { Instructions = "Do it", Assignees = assignees, AssignedTo = assignedTo }.ToJson()));

    private static WaitingGate Waiting(string requester, GateRequest gate)
    {
        var instance = new WorkflowInstance
        {
            Id = InstanceId.New(TimeProvider.System),
            WorkflowId = "w",
            WorkflowVersion = "1",
            DefinitionHash = "h",
            Requester = requester,
            Status = InstanceStatus.Waiting,
            StepList = [new StepState { Id = "gate", Uses = gate.Kind, Status = StepStatus.Waiting, Gate = gate }],
            Inputs = new JsonObject(),
        };
        return WaitingGate.Of(instance)!;
    }
}
