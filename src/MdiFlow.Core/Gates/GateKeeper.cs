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

    /// <summary>Complete a manual task with evidence (or release an embedder's gate).</summary>
    Complete,

    /// <summary>Take a manual task ("assign to me"): then only this person may complete it.</summary>
    Assign,

    /// <summary>Give a manual task back, so any assignee may take or complete it.</summary>
    Unassign,
}

/// <summary>
/// Opens gates with the organisation policy's floors applied, and applies decisions and expiry to waiting gates,
/// evaluating every decision against the policy in force now (never the one a caller or an older run had). Each
/// method changes the instance in memory; the caller saves.
/// </summary>
internal sealed partial class GateKeeper(OrganisationPolicy policy, TimeProvider time, IReadOnlyDictionary<string, IGateDecider> deciders)
{
    public const string Decided = "gate.decided";
    public const string Satisfied = "gate.satisfied";
    public const string Rejected = "gate.rejected";
    public const string Escalated = "gate.escalated";
    public const string Expired = "gate.expired";

    /// <summary>The hash of the policy this keeper enforces, recorded when a gate opens and with every decision.</summary>
    public string PolicyHash => policy.Hash;

    /// <summary>The gate an activity asked for, with the policy's floors applied (more approvals, shorter expiry, the required group).</summary>
    public GateRequest Open(GateRequest request, DateTimeOffset now)
    {
        if (request.Kind != GateKinds.Approval)
        {
            return request;
        }

        var asked = ApprovalGate.From(request.Details);
        var floors = policy.Gates;
        var expiresAfter = floors.MaxExpiry is { } max && (asked.ExpiresAfter is null || asked.ExpiresAfter > max) ? max : asked.ExpiresAfter;
        var gate = asked with
        {
            MinApprovals = Math.Max(asked.MinApprovals, floors.MinApprovals),
            RequesterMayApprove = asked.RequesterMayApprove && floors.RequesterMayApprove,
            RequiredGroup = floors.RequiredApproverGroup,
            ExpiresAfter = expiresAfter,
            ExpiresAt = now + expiresAfter,
            PolicyHash = policy.Hash,
        };
        return request with { Details = gate.ToJson() };
    }

    /// <summary>Whether <paramref name="actor"/> may take <paramref name="action"/> at the gate the instance waits at, and why not.</summary>
    public GatePermission Permission(WorkflowInstance instance, Actor actor, GateAction action)
    {
        var step = instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Waiting && s.Gate is not null);
        if (instance.Status != InstanceStatus.Waiting || step?.Gate is not { } gate)
        {
            return GatePermission.No($"Instance {instance.Id} does not wait at a gate.");
        }

        string? problem;
        try
        {
            problem = Check(instance, step, gate, actor, action);
        }
        catch (ReauthenticationRequiredException)
        {
            return GatePermission.Yes with { Reason = "allowed after signing in again, as the organisation policy requires for decisions" };
        }

        return problem is null ? GatePermission.Yes : GatePermission.No(problem);
    }

    private string? Check(WorkflowInstance instance, StepState step, GateRequest gate, Actor actor, GateAction action) =>
        (action, GateKinds.RulesOf(gate)) switch
        {
            (_, var custom) when !GateKinds.IsBuiltIn(custom) => CustomPermission(instance, step, gate, actor, action),
            (GateAction.Assign or GateAction.Unassign, GateKinds.ManualTask) => AssignProblem(instance, step, ManualTaskGate.From(gate.Details), actor, action),
            (GateAction.Approve, GateKinds.Approval) => ApproveProblem(instance, step, Effective(ApprovalGate.From(gate.Details)), actor) ?? AlreadyApproved(step, ApprovalGate.From(gate.Details), actor),
            (GateAction.Reject, GateKinds.Approval) => DeciderProblem(instance, step, Effective(ApprovalGate.From(gate.Details)), actor),
            (GateAction.Complete or GateAction.Reject, GateKinds.ManualTask) => AssigneeProblem(instance, step, ManualTaskGate.From(gate.Details), actor),
            _ => WrongAction(instance, step, gate.Kind),
        };

    private static string WrongAction(WorkflowInstance instance, StepState step, string kind) =>
        $"Step '{step.Id}' of instance {instance.Id} is a {kind} gate; use {(kind == GateKinds.Approval ? "approve or reject" : "complete, reject, assign or unassign")}.";

    /// <returns>A note for the person when their action changed nothing (a repeated approval), else null.</returns>
    /// <exception cref="ActionNotAllowedException">The person may not act here.</exception>
    /// <exception cref="ReauthenticationRequiredException">The person must sign in again (MFA, or a fresher sign-in).</exception>
    public string? Act(WorkflowInstance instance, InstanceLifecycle lifecycle, string? stepId, GateAction action, Actor actor, string? text, DateTimeOffset now, Action<string, string?, JsonObject?> journal)
    {
        var step = WaitingStep(instance, stepId);
        var gate = step.Gate!;
        var kind = GateKinds.RulesOf(gate);
        if (!GateKinds.IsBuiltIn(kind))
        {
            return CustomAct(instance, lifecycle, step, action, actor, text, now, journal);
        }

        switch (action, kind)
        {
            case (GateAction.Approve, GateKinds.Approval):
                return Approve(instance, lifecycle, step, actor, text, now, journal);
            case (GateAction.Reject, GateKinds.Approval):
                Refuse(DeciderProblem(instance, step, Effective(ApprovalGate.From(gate.Details)), actor));
                Reject(instance, lifecycle, step, actor, text ?? "", now, journal);
                return null;
            case (GateAction.Reject, GateKinds.ManualTask):
                Refuse(AssigneeProblem(instance, step, ManualTaskGate.From(gate.Details), actor));
                Reject(instance, lifecycle, step, actor, text ?? "", now, journal);
                return null;
            case (GateAction.Complete, GateKinds.ManualTask):
                Refuse(AssigneeProblem(instance, step, ManualTaskGate.From(gate.Details), actor));
                Complete(instance, lifecycle, step, actor, text ?? "", now, journal);
                return null;
            case (GateAction.Assign or GateAction.Unassign, GateKinds.ManualTask):
                var task = ManualTaskGate.From(gate.Details);
                Refuse(AssignProblem(instance, step, task, actor, action));
                Assign(step, task, action, actor, journal);
                return null;
            default:
                throw new InstanceStateException(instance.Status, WrongAction(instance, step, kind));
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

    /// <summary>The gate as recorded, held to the floors of the policy in force now as well.</summary>
    private ApprovalGate Effective(ApprovalGate recorded) => recorded with
    {
        MinApprovals = Math.Max(recorded.MinApprovals, policy.Gates.MinApprovals),
        RequesterMayApprove = recorded.RequesterMayApprove && policy.Gates.RequesterMayApprove,
    };

    private string? Approve(WorkflowInstance instance, InstanceLifecycle lifecycle, StepState step, Actor actor, string? comment, DateTimeOffset now, Action<string, string?, JsonObject?> journal)
    {
        var gate = Effective(ApprovalGate.From(step.Gate!.Details));
        Refuse(ApproveProblem(instance, step, gate, actor));
        if (gate.Decisions.Any(d => d.Decision == "approve" && GateRules.SameUser(d.Actor, actor.Name)))
        {
            return $"{actor.Name} has already approved step '{step.Id}'; an approval counts once. {Remaining(gate)}";
        }

        var decision = Record(actor, "approve", now, comment);
        gate = gate with { Decisions = [.. gate.Decisions, decision] };
        step.Gate = step.Gate with { Details = gate.ToJson() };
        journal(Decided, step.Id, DecisionData("approve", comment, actor));

        // Approvals count once each, and never the requester's where the policy in force forbids it.
        var approvers = gate.Decisions
            .Where(d => d.Decision == "approve" && (gate.RequesterMayApprove || !GateRules.SameUser(d.Actor, instance.Requester)))
            .Select(d => d.Actor)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (approvers.Count < gate.MinApprovals)
        {
            return null;
        }

        step.Status = StepStatus.Completed;
        step.EndedAt = now;
        step.Output = JsonSerializer.SerializeToNode(new ApprovalOutput(approvers), MdiFlowJson.Options);
        lifecycle.Fire(LifecycleTrigger.Approve);
        journal(Satisfied, step.Id, new JsonObject { ["approvedBy"] = new JsonArray([.. approvers.Select(a => (JsonNode?)a)]), ["policyHash"] = policy.Hash });
        return null;
    }

    private void Reject(WorkflowInstance instance, InstanceLifecycle lifecycle, StepState step, Actor actor, string reason, DateTimeOffset now, Action<string, string?, JsonObject?> journal)
    {
        if (step.Gate!.Kind == GateKinds.Approval)
        {
            var gate = ApprovalGate.From(step.Gate.Details);
            step.Gate = step.Gate with { Details = (gate with { Decisions = [.. gate.Decisions, Record(actor, "reject", now, reason)] }).ToJson() };
        }

        step.Status = StepStatus.Failed;
        step.EndedAt = now;
        step.Error = new ActivityError("gate.rejected", $"Rejected by {actor.Name}: {reason}", Permanent: true);
        lifecycle.Fire(LifecycleTrigger.Reject);
        instance.Lease = null;
        var data = DecisionData("reject", reason, actor);
        data["reason"] = reason;
        journal(Rejected, step.Id, data);
    }

    private void Complete(WorkflowInstance instance, InstanceLifecycle lifecycle, StepState step, Actor actor, string evidence, DateTimeOffset now, Action<string, string?, JsonObject?> journal)
    {
        step.Status = StepStatus.Completed;
        step.EndedAt = now;
        step.Output = JsonSerializer.SerializeToNode(new ManualTaskOutput(actor.Name, evidence), MdiFlowJson.Options);
        lifecycle.Fire(LifecycleTrigger.Approve);
        var data = DecisionData("complete", null, actor);
        data["completedBy"] = actor.Name;
        data["evidence"] = evidence;
        journal(Satisfied, step.Id, data);
    }

    private static GateDecision Record(Actor actor, string decision, DateTimeOffset now, string? comment) =>
        new(actor.Name, actor.Source, decision, now, comment) { Identity = actor.Claims.Count > 0 ? actor.Claims : null };

    private JsonObject DecisionData(string decision, string? comment, Actor actor)
    {
        var data = new JsonObject { ["decision"] = decision, ["comment"] = comment, ["policyHash"] = policy.Hash };
        if (actor.Claims.Count > 0)
        {
            data["identity"] = new JsonObject(actor.Claims.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value)));
        }

        return data;
    }

    private string? ApproveProblem(WorkflowInstance instance, StepState step, ApprovalGate gate, Actor actor)
    {
        if (GateRules.SameUser(actor.Name, instance.Requester) && !gate.RequesterMayApprove)
        {
            return $"{actor.Name} started instance {instance.Id} and so cannot approve it: {(policy.Gates.RequesterMayApprove ? "the workflow" : "the organisation policy")} does not let requesters approve their own changes. Ask one of: {string.Join(", ", gate.Approvers)}.";
        }

        return DeciderProblem(instance, step, gate, actor);
    }

    /// <summary>For buttons: a second approval by the same person would change nothing.</summary>
    private static string? AlreadyApproved(StepState step, ApprovalGate gate, Actor actor) =>
        gate.Decisions.Any(d => d.Decision == "approve" && GateRules.SameUser(d.Actor, actor.Name))
            ? $"{actor.Name} has already approved step '{step.Id}'; an approval counts once."
            : null;

    private string? DeciderProblem(WorkflowInstance instance, StepState step, ApprovalGate gate, Actor actor)
    {
        var required = new[] { gate.RequiredGroup, policy.Gates.RequiredApproverGroup }.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (!GateRules.Admits(gate.Approvers, actor, policy) || required.Any(g => !GateRules.IsMember(policy, actor, g)))
        {
            return $"{actor.Name} may not decide step '{step.Id}' of instance {instance.Id}: the approvers are {string.Join(", ", gate.Approvers)}"
                + (required.Count == 0 ? "." : $", and the organisation policy requires membership of group '{string.Join("' and '", required)}'.");
        }

        return SignInProblem(instance, actor);
    }

    /// <summary>The policy's sign-in rules for decisions: multi-factor, and a sign-in no older than the limit.</summary>
    private string? SignInProblem(WorkflowInstance instance, Actor actor)
    {
        var rules = policy.Decisions;
        if ((!rules.RequireMfa && rules.MaxSignInAge is null) || (actor.IsAsserted && instance.IsRehearsal))
        {
            return null;
        }

        if (actor.Source != ActorSources.OpenIdConnect)
        {
            return $"The organisation policy requires decisions to be signed in{(rules.RequireMfa ? " with multi-factor authentication" : "")}{(rules.MaxSignInAge is { } a ? $" no more than {a} ago" : "")}, which {actor.Name}'s {actor.Source} identity cannot show. Decide on the change-board page instead.";
        }

        var mfa = actor.Claims.TryGetValue("amr", out var amr) && amr.Split(' ', ',').Contains("mfa", StringComparer.OrdinalIgnoreCase);
        var signedIn = actor.Claims.TryGetValue("auth_time", out var at) && long.TryParse(at, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        var stale = rules.MaxSignInAge is { } max && (signedIn is null || time.GetUtcNow() - signedIn > max);
        if ((rules.RequireMfa && !mfa) || stale)
        {
            throw new ReauthenticationRequiredException(
                $"The organisation policy requires {(rules.RequireMfa && !mfa ? "a multi-factor sign-in" : "")}{(rules.RequireMfa && !mfa && stale ? " and " : "")}{(stale ? $"a sign-in no older than {rules.MaxSignInAge}" : "")} for decisions; {actor.Name} must sign in again. Nothing was recorded.",
                rules.RequireMfa,
                rules.MaxSignInAge);
        }

        return null;
    }

    private static void Refuse(string? problem)
    {
        if (problem is not null)
        {
            throw new ActionNotAllowedException(problem);
        }
    }

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

/// <summary>Whether a person may act at a gate, and why not.</summary>
/// <param name="Allowed">Whether they may.</param>
/// <param name="Reason">Why not, in a sentence; empty when allowed.</param>
public sealed record GatePermission(bool Allowed, string Reason)
{
    /// <summary>Allowed.</summary>
    public static GatePermission Yes { get; } = new(true, "");

    /// <summary>Not allowed, because of <paramref name="reason"/>.</summary>
    public static GatePermission No(string reason) => new(false, reason);
}
