using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Gates;

/// <summary>Gates of an embedder's kind: the engine's checks of the person first, then the kind's <see cref="IGateDecider"/>.</summary>
internal sealed partial class GateKeeper
{
    /// <summary>The deciders by kind; two for one kind, or one for a built-in kind, is a start-up error naming them.</summary>
    public static Dictionary<string, IGateDecider> Index(IEnumerable<IGateDecider> deciders)
    {
        var byKind = new Dictionary<string, IGateDecider>(StringComparer.Ordinal);
        foreach (var decider in deciders)
        {
            if (GateKinds.IsBuiltIn(decider.Kind))
            {
                throw new InvalidOperationException($"{decider.GetType().FullName} would decide '{decider.Kind}' gates, whose rules are the engine's own and cannot be replaced. Give the gate kind another name.");
            }

            if (!byKind.TryAdd(decider.Kind, decider))
            {
                throw new InvalidOperationException($"Two gate deciders decide '{decider.Kind}' gates: {byKind[decider.Kind].GetType().FullName} and {decider.GetType().FullName}. Register one.");
            }
        }

        return byKind;
    }

    /// <summary>Why <paramref name="actor"/> may not take <paramref name="action"/> at an embedder's gate, by the engine's rules (the decider is asked after).</summary>
    /// <exception cref="ReauthenticationRequiredException">The policy's sign-in rules need a fresher or stronger sign-in.</exception>
    private string? CustomProblem(WorkflowInstance instance, StepState step, GateRequest gate, Actor actor, GateAction action)
    {
        if (!deciders.ContainsKey(gate.Kind))
        {
            return $"Step '{step.Id}' of instance {instance.Id} waits at a '{gate.Kind}' gate, and this process has no decision rules for that kind (an IGateDecider registered for it), so no one can act at it here.";
        }

        if (action is GateAction.Assign or GateAction.Unassign)
        {
            return $"Step '{step.Id}' of instance {instance.Id} is a '{gate.Kind}' gate; only manual tasks are assigned.";
        }

        var principals = Principals(gate.Details, "approvers").Concat(Principals(gate.Details, "assignees")).ToList();
        if (principals.Count > 0 && !GateRules.Admits(principals, actor, policy))
        {
            return $"{actor.Name} may not act at step '{step.Id}' of instance {instance.Id}: the gate admits {string.Join(", ", principals)}.";
        }

        if (action == GateAction.Complete)
        {
            return null;
        }

        if (policy.Gates.RequiredApproverGroup is { } required && !GateRules.IsMember(policy, actor, required))
        {
            return $"{actor.Name} may not decide step '{step.Id}' of instance {instance.Id}: the organisation policy requires membership of group '{required}' for decisions at gates.";
        }

        if (action == GateAction.Approve && !policy.Gates.RequesterMayApprove && GateRules.SameUser(actor.Name, instance.Requester))
        {
            return $"{actor.Name} started instance {instance.Id} and so cannot approve it: the organisation policy does not let requesters approve their own changes.";
        }

        return SignInProblem(instance, actor);
    }

    private string? CustomAct(WorkflowInstance instance, InstanceLifecycle lifecycle, StepState step, GateAction action, Actor actor, string? text, DateTimeOffset now, Action<string, string?, JsonObject?> journal)
    {
        var gate = step.Gate!;
        Refuse(CustomProblem(instance, step, gate, actor, action));
        var verdict = Ask(instance, step, gate, action, actor, text, now);
        var decision = action switch { GateAction.Approve => "approve", GateAction.Reject => "reject", _ => "complete" };
        switch (verdict)
        {
            case GateVerdict.Refused refused:
                throw new ActionNotAllowedException(refused.Reason);
            case GateVerdict.Waiting waiting:
                step.Gate = gate with { Details = (JsonObject)waiting.Details.DeepClone() };
                journal(Decided, step.Id, CustomData(gate.Kind, decision, text, actor));
                return waiting.Note;
            case GateVerdict.Released released:
                step.Status = StepStatus.Completed;
                step.EndedAt = now;
                step.Output = released.Output?.DeepClone();
                lifecycle.Fire(LifecycleTrigger.Approve);
                journal(Satisfied, step.Id, CustomData(gate.Kind, decision, text, actor));
                return null;
            case GateVerdict.Rejected rejected:
                step.Status = StepStatus.Failed;
                step.EndedAt = now;
                step.Error = new ActivityError("gate.rejected", $"Rejected by {actor.Name}: {rejected.Reason}", Permanent: true);
                lifecycle.Fire(LifecycleTrigger.Reject);
                instance.Lease = null;
                var data = CustomData(gate.Kind, decision, text, actor);
                data["reason"] = rejected.Reason;
                journal(Rejected, step.Id, data);
                return null;
            default:
                throw new InvalidOperationException($"The decider of '{gate.Kind}' gates returned no verdict.");
        }
    }

    /// <summary>For buttons: whether the engine's checks and the decider would let the action through (nothing is recorded).</summary>
    private string? CustomPermission(WorkflowInstance instance, StepState step, GateRequest gate, Actor actor, GateAction action) =>
        CustomProblem(instance, step, gate, actor, action)
        ?? (Ask(instance, step, gate, action, actor, null, time.GetUtcNow()) is GateVerdict.Refused refused ? refused.Reason : null);

    private GateVerdict Ask(WorkflowInstance instance, StepState step, GateRequest gate, GateAction action, Actor actor, string? text, DateTimeOffset now) =>
        deciders[gate.Kind].Decide(new GateDecisionContext
        {
            InstanceId = instance.Id,
            StepId = step.Id,
            Action = action,
            Actor = actor,
            Text = text,
            Details = (JsonObject)gate.Details.DeepClone(),
            Requester = instance.Requester,
            Now = now,
        }) ?? throw new InvalidOperationException($"The decider of '{gate.Kind}' gates returned no verdict.");

    private JsonObject CustomData(string kind, string decision, string? text, Actor actor)
    {
        var data = DecisionData(decision, text, actor);
        data["gate"] = kind;
        return data;
    }

    private static IEnumerable<string> Principals(JsonObject details, string name) =>
        details[name] is JsonArray list ? list.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>() : [];
}
