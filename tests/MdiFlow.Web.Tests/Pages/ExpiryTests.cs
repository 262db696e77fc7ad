using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Web.Gates;
using MdiFlow.Web.Pages;

namespace MdiFlow.Web.Tests.Pages;

public sealed class ExpiryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_gate_shows_its_countdown_and_an_expired_one_says_how_long_ago()
    {
        InboxPage.Expiry(Gate(Now + TimeSpan.FromHours(49), escalated: false), Now).ToString().Should().StartWith("in 2 d 1 h");
        InboxPage.Expiry(Gate(Now - TimeSpan.FromMinutes(5), escalated: false), Now).ToString().Should().Contain("expired 5 min ago");
    }

    [Fact]
    public void An_escalated_gate_is_marked_as_escalated_beside_its_new_countdown()
    {
        var text = InboxPage.Expiry(Gate(Now + TimeSpan.FromHours(3), escalated: true), Now).ToString();

        text.Should().Contain("class=\"escalated\"").And.Contain(">escalated</span>").And.Contain("in 3 h");
        InboxPage.Expiry(Gate(Now + TimeSpan.FromHours(3), escalated: false), Now).ToString().Should().NotContain("escalated");
    }

    private static WaitingGate Gate(DateTimeOffset expiresAt, bool escalated)
    {
        var gate = new ApprovalGate { Approvers = ["group:change-board"], OnExpiry = "escalate", EscalateTo = ["user:carol"], Escalated = escalated, ExpiresAt = expiresAt };
        var instance = new WorkflowInstance
        {
            Id = InstanceId.New(TimeProvider.System),
            WorkflowId = "w",
            WorkflowVersion = "1",
            DefinitionHash = "h",
            Requester = "alice",
            Status = InstanceStatus.Waiting,
            StepList = [new StepState { Id = "gate", Uses = GateKinds.Approval, Status = StepStatus.Waiting, Gate = new GateRequest(GateKinds.Approval, gate.ToJson()) }],
            Inputs = new JsonObject(),
        };
        return WaitingGate.Of(instance)!;
    }
}
