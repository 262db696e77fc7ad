using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.Auditing;

/// <summary>The input of <c>mdi.applyAuditing</c>.</summary>
public sealed record ApplyAuditingInput
{
    /// <summary>The configurations to apply, as <c>mdi.checkAuditing</c> reports them missing (<c>{{ steps.auditReport.output.missing }}</c>).</summary>
    public required IReadOnlyList<string> Configurations { get; init; }

    /// <summary><c>Domain</c> (the default: Set-MDIConfiguration creates and links GPOs, then gpupdate) or <c>LocalMachine</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>The directory service account, which Set-MDIConfiguration -Mode Domain takes as -Identity.</summary>
    public string? Identity { get; init; }
}

/// <summary>The output of <c>mdi.applyAuditing</c>: what was applied, how, and the settings before and after.</summary>
public sealed record ApplyAuditingOutput
{
    /// <summary>The configurations applied (those already in place are left alone).</summary>
    public required IReadOnlyList<string> Applied { get; init; }

    /// <summary>The commands run, as an administrator would type them.</summary>
    public required IReadOnlyList<string> Commands { get; init; }

    /// <summary>The requested configurations as found before.</summary>
    public required IReadOnlyList<AuditFinding> Before { get; init; }

    /// <summary>The requested configurations as found after.</summary>
    public required IReadOnlyList<AuditFinding> After { get; init; }
}

/// <summary>
/// <c>mdi.applyAuditing</c>: applies the documented auditing settings (the DefenderForIdentity module's
/// <c>Set-MDIConfiguration</c>, the GPOs it creates, <c>Set-AdfsProperties -AuditLevel Verbose</c>) for the given
/// configurations, and records each as it was before and after. Put an approval gate before it: it changes Group Policy
/// and directory SACLs. A configuration that still does not meet the documented settings afterwards fails the step.
/// </summary>
[Activity("mdi.applyAuditing", Description = "Applies the documented Windows event auditing (Set-MDIConfiguration and its GPOs) and records the settings before and after.", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true, Rehearsal = RehearsalMode.Double)]
internal sealed class ApplyAuditingActivity(IHostFacts host, IAuditSettings settings) : Activity<ApplyAuditingInput, ApplyAuditingOutput>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(ApplyAuditingInput input, ActivityContext context)
    {
        var mode = string.IsNullOrWhiteSpace(input.Mode) ? "Domain" : input.Mode.Trim();
        if (mode is not ("Domain" or "LocalMachine"))
        {
            return InvalidInput.Fail(context, $"'mode' is \"{input.Mode}\"; use \"Domain\" or \"LocalMachine\".");
        }

        ActivityResult? failure = null;
        var evaluated = await AuditScopes.EvaluateAsync(host, settings, context, "mdi.applyAuditing", f => failure = f).ConfigureAwait(false);
        if (evaluated is not { } value)
        {
            return failure!;
        }

        var (scope, findings) = value;

        var applicable = AuditSettingsCatalog.For(scope);
        var unknown = input.Configurations.Where(c => !applicable.Contains(c, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            return InvalidInput.Fail(context, $"'configurations' names {string.Join(", ", unknown)}, which do not apply to this server; it takes: {string.Join(", ", applicable)}.");
        }

        var before = findings.Where(f => input.Configurations.Contains(f.Configuration)).ToList();
        var toApply = before.Where(f => f.Status != FactStatus.Pass).Select(f => f.Configuration).ToList();
        if (toApply.Count == 0)
        {
            return Complete(new ApplyAuditingOutput { Applied = [], Commands = [], Before = before, After = before });
        }

        AuditApplyResult result;
        IReadOnlyList<AuditFinding> after;
        try
        {
            result = await settings.ApplyAsync(new AuditApplyRequest(toApply, mode, string.IsNullOrWhiteSpace(input.Identity) ? null : input.Identity.Trim()), context.CancellationToken).ConfigureAwait(false);
            var facts = await settings.ReadAsync(scope, context.CancellationToken).ConfigureAwait(false);
            after = [.. AuditRules.Evaluate(scope, facts).Where(f => input.Configurations.Contains(f.Configuration))];
        }
        catch (HostFactsException ex)
        {
            return HostProblems.Fail(context, "mdi.applyAuditing", ex);
        }

        var still = after.Where(f => toApply.Contains(f.Configuration) && f.Status != FactStatus.Pass).ToList();
        if (still.Count > 0)
        {
            return ActivityResult.Fail(new ActivityError(
                "mdi.auditingNotApplied",
                $"After {string.Join("; ", result.Commands)}, {string.Join("; ", still.Select(f => $"{f.Configuration} is still {f.Found}"))}.")
            {
                Fix = "Group Policy may not have reached this server yet: run gpupdate /target:computer /force (and wait for directory replication), then retry the step. " + AuditScopes.Describe(still),
                Details = AuditScopes.Details(before, "before.").Concat(AuditScopes.Details(after, "after.")).ToDictionary(p => p.Key, p => p.Value),
            });
        }

        return Complete(new ApplyAuditingOutput { Applied = result.Applied, Commands = result.Commands, Before = before, After = after });
    }
}
