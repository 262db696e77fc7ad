using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Policy;
using MdiFlow.Serialization;

namespace MdiFlow.Gates;

/// <summary>A person's action at a gate.</summary>
public enum GateAction
{
    /// <summary>Approve an approval gate.</summary>
    Approve,

    /// <summary>Reject an approval gate (or a manual task); the instance ends rejected.</summary>
    Reject,

    /// <summary>Complete a manual task with evidence.</summary>
    Complete,
}

/// <summary>Applies decisions and expiry to waiting gates. Each method changes the instance in memory; the caller saves.</summary>
internal sealed class GateKeeper(OrganisationPolicy policy)
{
    public const string Decided = "gate.decided";
    public const string Satisfied = "gate.satisfied";
    public const string Rejected = "gate.rejected";
    public const string Escalated = "gate.escalated";
    public const string Expired = "gate.expired";

    /// <returns>A note for the person when their action changed nothing (a repeated approval), else null.</returns>
    public string? Act(WorkflowInstance instance, InstanceLifecycle lifecycle, string? stepId, GateAction action, Actor actor, string? text, DateTimeOffset now, Action<string, string?, JsonObject?> journal)
    {
        var step = WaitingStep(instance, stepId);
        var kind = step.Gate!.Kind;
        switch (action, kind)
        {
            case (GateAction.Approve, GateKinds.Approval):
                return Approve(instance, lifecycle, step, actor, text, now, journal);
            case (GateAction.Reject, _):
                if (kind == GateKinds.Approval && !MayDecide(ApprovalGate.From(step.Gate.Details), actor))
                {
                    throw new ActionNotAllowedException(NotAnApprover(instance, step, ApprovalGate.From(step.Gate.Details), actor));
                }

                Reject(instance, lifecycle, step, actor, text ?? "", now, journal);
                return null;
            case (GateAction.Complete, GateKinds.ManualTask):
                Complete(instance, lifecycle, step, actor, text ?? "", now, journal);
                return null;
            default:
                throw new InstanceStateException(instance.Status, $"Step '{step.Id}' of instance {instance.Id} is a {kind} gate; use {(kind == GateKinds.Approval ? "'approve' or 'reject'" : "'complete'")}.");
        }
    }

    /// <summary>Acts on an expired approval gate: rejects it, or escalates it once.</summary>
    /// <returns>True when the instance changed.</returns>
    public bool Expire(WorkflowInstance instance, InstanceLifecycle lifecycle, DateTimeOffset now, Action<string, string?, JsonObject?> journal)
    {
        var step = instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Waiting && s.Gate?.Kind == GateKinds.Approval);
        if (instance.Status != InstanceStatus.Waiting || step is null)
        {
            return false;
        }

        var gate = ApprovalGate.From(step.Gate!.Details);
        if (gate.ExpiresAt is not { } due || due > now)
        {
            return false;
        }

        if (gate.OnExpiry == "escalate" && !gate.Escalated && gate.EscalateTo.Count > 0)
        {
            var escalated = gate with { Approvers = gate.EscalateTo, Escalated = true, ExpiresAt = now + gate.ExpiresAfter };
            step.Gate = step.Gate with { Details = escalated.ToJson() };
            journal(Escalated, step.Id, new JsonObject { ["to"] = new JsonArray([.. gate.EscalateTo.Select(a => (JsonNode?)a)]), ["expiresAt"] = escalated.ExpiresAt });
            return true;
        }

        journal(Expired, step.Id, new JsonObject { ["expiredAt"] = due });
        Reject(instance, lifecycle, step, Actor.Engine, $"the gate expired at {due:u} without enough approvals", now, journal);
        return true;
    }

    private string? Approve(WorkflowInstance instance, InstanceLifecycle lifecycle, StepState step, Actor actor, string? comment, DateTimeOffset now, Action<string, string?, JsonObject?> journal)
    {
        var gate = ApprovalGate.From(step.Gate!.Details);
        if (GateRules.SameUser(actor.Name, instance.Requester) && !gate.RequesterMayApprove)
        {
            throw new ActionNotAllowedException(
                $"{actor.Name} started instance {instance.Id} and so cannot approve it: {(policy.Gates.RequesterMayApprove ? "the workflow" : "the organisation policy")} does not let requesters approve their own changes. Ask one of: {string.Join(", ", gate.Approvers)}.");
        }

        if (!MayDecide(gate, actor))
        {
            throw new ActionNotAllowedException(NotAnApprover(instance, step, gate, actor));
        }

        if (gate.Decisions.Any(d => d.Decision == "approve" && GateRules.SameUser(d.Actor, actor.Name)))
        {
            return $"{actor.Name} has already approved step '{step.Id}'; an approval counts once. {Remaining(gate)}";
        }

        gate = gate with { Decisions = [.. gate.Decisions, new GateDecision(actor.Name, actor.Source, "approve", now, comment)] };
        step.Gate = step.Gate with { Details = gate.ToJson() };
        journal(Decided, step.Id, new JsonObject { ["decision"] = "approve", ["comment"] = comment, ["policyHash"] = gate.PolicyHash });
        var approvers = gate.Decisions.Where(d => d.Decision == "approve").Select(d => d.Actor).ToList();
        if (approvers.Count < gate.MinApprovals)
        {
            return null;
        }

        step.Status = StepStatus.Completed;
        step.EndedAt = now;
        step.Output = JsonSerializer.SerializeToNode(new ApprovalOutput(approvers), MdiFlowJson.Options);
        lifecycle.Fire(LifecycleTrigger.Approve);
        journal(Satisfied, step.Id, new JsonObject { ["approvedBy"] = new JsonArray([.. approvers.Select(a => (JsonNode?)a)]) });
        return null;
    }

    private static void Reject(WorkflowInstance instance, InstanceLifecycle lifecycle, StepState step, Actor actor, string reason, DateTimeOffset now, Action<string, string?, JsonObject?> journal)
    {
        if (step.Gate!.Kind == GateKinds.Approval)
        {
            var gate = ApprovalGate.From(step.Gate.Details);
            step.Gate = step.Gate with { Details = (gate with { Decisions = [.. gate.Decisions, new GateDecision(actor.Name, actor.Source, "reject", now, reason)] }).ToJson() };
        }

        step.Status = StepStatus.Failed;
        step.EndedAt = now;
        step.Error = new ActivityError("gate.rejected", $"Rejected by {actor.Name}: {reason}");
        lifecycle.Fire(LifecycleTrigger.Reject);
        instance.Lease = null;
        journal(Rejected, step.Id, new JsonObject { ["reason"] = reason });
    }

    private void Complete(WorkflowInstance instance, InstanceLifecycle lifecycle, StepState step, Actor actor, string evidence, DateTimeOffset now, Action<string, string?, JsonObject?> journal)
    {
        var task = ManualTaskGate.From(step.Gate!.Details);
        if (task.Assignees.Count > 0 && !GateRules.Admits(task.Assignees, actor.Name, policy))
        {
            throw new ActionNotAllowedException($"{actor.Name} is not an assignee of step '{step.Id}' of instance {instance.Id}; it is assigned to: {string.Join(", ", task.Assignees)}.");
        }

        step.Status = StepStatus.Completed;
        step.EndedAt = now;
        step.Output = JsonSerializer.SerializeToNode(new ManualTaskOutput(actor.Name, evidence), MdiFlowJson.Options);
        lifecycle.Fire(LifecycleTrigger.Approve);
        journal(Satisfied, step.Id, new JsonObject { ["completedBy"] = actor.Name, ["evidence"] = evidence });
    }

    private bool MayDecide(ApprovalGate gate, Actor actor) =>
        GateRules.Admits(gate.Approvers, actor.Name, policy) && (gate.RequiredGroup is null || GateRules.IsMember(policy, actor.Name, gate.RequiredGroup));

    private static string NotAnApprover(WorkflowInstance instance, StepState step, ApprovalGate gate, Actor actor) =>
        $"{actor.Name} may not decide step '{step.Id}' of instance {instance.Id}: the approvers are {string.Join(", ", gate.Approvers)}"
        + (gate.RequiredGroup is null ? "." : $", and the organisation policy requires membership of group '{gate.RequiredGroup}'.");

    private static string Remaining(ApprovalGate gate)
    {
        var count = gate.Decisions.Count(d => d.Decision == "approve");
        return $"It has {count} of {gate.MinApprovals} approvals.";
    }

    private static StepState WaitingStep(WorkflowInstance instance, string? stepId)
    {
        var waiting = instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Waiting && s.Gate is not null);
        if (instance.Status != InstanceStatus.Waiting || waiting is null)
        {
            throw new InstanceStateException(instance.Status, $"Instance {instance.Id} is {instance.Status.ToString().ToLowerInvariant()}, not waiting at a gate; there is nothing to decide.");
        }

        if (stepId is not null && waiting.Id != stepId)
        {
            throw new InstanceStateException(instance.Status, $"Instance {instance.Id} waits at step '{waiting.Id}', not '{stepId}'.");
        }

        return waiting;
    }
}
