using MdiFlow.Gates;
using MdiFlow.Journal;
using MdiFlow.Policy;

namespace MdiFlow.Web.Gates;

/// <summary>What a person may do at a gate, for showing buttons.</summary>
/// <param name="Approve">May approve.</param>
/// <param name="Reject">May reject.</param>
/// <param name="Complete">May complete the manual task.</param>
/// <param name="Why">Why not, when they may do nothing.</param>
internal sealed record Permissions(bool Approve, bool Reject, bool Complete, string? Why)
{
    public bool Any => Approve || Reject || Complete;
}

/// <summary>
/// Decides which buttons a person sees. It is conservative: it mirrors the engine's rules as they stand (user and policy
/// group membership by name, the requester rule, the required group) and never shows a button the engine would refuse
/// for those reasons. It is only for display: every decision goes through the engine, which checks again (and may
/// refuse for rules this does not know, such as a sign-in that must be fresher).
/// </summary>
/// <remarks>To be replaced by the engine's own answer once Core offers one (see /work/coord/requests-web.md).</remarks>
internal sealed class GatePermissions(OrganisationPolicy policy)
{
    public Permissions For(WaitingGate gate, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(actor);
        if (gate.Approval is { } approval)
        {
            var admitted = Admits(approval.Approvers, actor.Name) && (approval.RequiredGroup is null || IsMember(actor.Name, approval.RequiredGroup));
            if (!admitted)
            {
                return new(false, false, false, $"You are not one of the approvers ({string.Join(", ", approval.Approvers)}){(approval.RequiredGroup is null ? "" : $" with membership of '{approval.RequiredGroup}'")}.");
            }

            if (SameUser(actor.Name, gate.Instance.Requester) && !approval.RequesterMayApprove)
            {
                return new(false, true, false, "You started this change, so you may not approve it (you may still reject it).");
            }

            var already = approval.Decisions.Any(d => d.Decision == "approve" && SameUser(d.Actor, actor.Name));
            return new(!already, true, false, already ? "You have approved already; an approval counts once." : null);
        }

        if (gate.Task is { } task)
        {
            var admitted = task.Assignees.Count == 0 || Admits(task.Assignees, actor.Name);
            return admitted ? new(false, false, true, null) : new(false, false, false, $"The task is assigned to {string.Join(", ", task.Assignees)}.");
        }

        return new(false, false, false, $"This page cannot act on a '{gate.Kind}' gate.");
    }

    private bool Admits(IReadOnlyList<string> principals, string actor) =>
        principals.Any(p => p.StartsWith("user:", StringComparison.Ordinal)
            ? SameUser(p[5..], actor)
            : p.StartsWith("group:", StringComparison.Ordinal) && IsMember(actor, p[6..]));

    private bool IsMember(string actor, string group) => policy.IsMember(actor, group) || policy.IsMember(AccountOf(actor), group);

    private static bool SameUser(string a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase) || string.Equals(AccountOf(a), AccountOf(b), StringComparison.OrdinalIgnoreCase);

    private static string AccountOf(string name) => name[(name.LastIndexOf('\\') + 1)..];
}
