using MdiFlow.Engine;

namespace MdiFlow.Policy;

/// <summary>
/// Combines the installed policy with one a caller names (<c>--policy</c>, <c>MDIFLOW_POLICY</c>, a file beside the
/// store): whatever either forbids stays forbidden. An overlay that asks for anything looser is refused outright, so
/// nobody can mistake a refused overlay for one that took effect.
/// </summary>
internal static class PolicyTightening
{
    public static OrganisationPolicy Combine(OrganisationPolicy installed, OrganisationPolicy overlay)
    {
        ArgumentNullException.ThrowIfNull(installed);
        ArgumentNullException.ThrowIfNull(overlay);
        var looser = new List<string>();
        var groups = new Dictionary<string, IReadOnlyList<string>>(installed.Groups, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, members) in overlay.Groups)
        {
            if (!installed.Groups.TryGetValue(name, out var allowed))
            {
                looser.Add($"it defines group '{name}', which the installed policy does not have");
                continue;
            }

            var added = members.Where(m => !allowed.Contains(m, StringComparer.OrdinalIgnoreCase)).ToList();
            if (added.Count > 0)
            {
                looser.Add($"it adds {string.Join(", ", added)} to group '{name}'");
            }

            groups[name] = [.. allowed.Where(m => members.Contains(m, StringComparer.OrdinalIgnoreCase))];
        }

        var i = installed.Gates;
        var o = overlay.Gates;
        if (overlay.Says("gates.minApprovals") && o.MinApprovals < i.MinApprovals)
        {
            looser.Add($"gates.minApprovals {o.MinApprovals} is below the installed {i.MinApprovals}");
        }

        if (o.RequesterMayApprove && !i.RequesterMayApprove)
        {
            looser.Add("gates.requesterMayApprove would let requesters approve their own changes");
        }

        if (o.MaxExpiry is { } oe && i.MaxExpiry is { } ie && oe > ie)
        {
            looser.Add($"gates.maxExpiry {oe} is longer than the installed {ie}");
        }

        if (o.RequiredApproverGroup is { } og && i.RequiredApproverGroup is { } ig && !string.Equals(og, ig, StringComparison.OrdinalIgnoreCase))
        {
            looser.Add($"gates.requiredApproverGroup '{og}' replaces the installed '{ig}'");
        }

        if (overlay.Says("decisions.maxSignInAge") && installed.Decisions.MaxSignInAge is { } ia && overlay.Decisions.MaxSignInAge > ia)
        {
            looser.Add($"decisions.maxSignInAge is longer than the installed {ia}");
        }

        if (overlay.Says("decisions.trustedIssuers") && overlay.Decisions.TrustedIssuers.FirstOrDefault(t => !installed.Decisions.Trusts(t)) is { } newIssuer)
        {
            looser.Add($"decisions.trustedIssuers adds '{newIssuer}', which the installed policy does not trust");
        }

        if (overlay.Says("start") || overlay.Says("run"))
        {
            looser.Add("who may start and whose work may be run are set by the installed policy only");
        }

        if (overlay.Skip.BeforeGate && !installed.Skip.BeforeGate)
        {
            looser.Add("skip.beforeGate would allow skipping steps that a later gate relies on");
        }

        if (overlay.Says("rehearsals.enabled") && overlay.Rehearsals.Enabled && !installed.Rehearsals.Enabled)
        {
            looser.Add("rehearsals.enabled would allow rehearsals, which this host forbids");
        }

        if (overlay.Rehearsals.AllowRealSteps && !installed.Rehearsals.AllowRealSteps)
        {
            looser.Add("rehearsals.allowRealSteps would let rehearsals do real work");
        }

        if (looser.Count > 0)
        {
            throw new ActionNotAllowedException(
                $"The policy {overlay.Source} may only tighten the installed policy, {installed.Source}, but {string.Join("; ", looser)}. Nothing was done. Ask the store's administrator to change the installed policy, or leave the option out.");
        }

        var required = i.RequiredApproverGroup ?? o.RequiredApproverGroup;
        return installed with
        {
            Groups = groups,
            Gates = new GateFloors
            {
                MinApprovals = Math.Max(i.MinApprovals, o.MinApprovals),
                RequesterMayApprove = i.RequesterMayApprove && o.RequesterMayApprove,
                MaxExpiry = Min(i.MaxExpiry, o.MaxExpiry),
                RequiredApproverGroup = required,
            },
            Decisions = new DecisionRules
            {
                RequireMfa = installed.Decisions.RequireMfa || overlay.Decisions.RequireMfa,
                MaxSignInAge = Min(installed.Decisions.MaxSignInAge, overlay.Decisions.MaxSignInAge),
                TrustedIssuers = overlay.Says("decisions.trustedIssuers") ? overlay.Decisions.TrustedIssuers : installed.Decisions.TrustedIssuers,
            },
            Skip = new SkipRules { BeforeGate = installed.Skip.BeforeGate && overlay.Skip.BeforeGate },
            Rehearsals = new RehearsalRules
            {
                Enabled = installed.Rehearsals.Enabled && overlay.Rehearsals.Enabled,
                AllowRealSteps = installed.Rehearsals.AllowRealSteps && overlay.Rehearsals.AllowRealSteps,
            },
            Hash = OrganisationPolicy.HashOf(installed.Hash + "+" + overlay.Hash),
            Source = $"{installed.Source}, tightened by {overlay.Source}",
        };
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
