using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.Auditing;

/// <summary>The input of <c>mdi.checkAuditing</c>.</summary>
public sealed record CheckAuditingInput
{
    /// <summary>
    /// <c>enforce</c> (the default) fails with <c>mdi.auditingIncomplete</c> when a setting is missing; <c>report</c>
    /// completes with the findings, for a later approval and <c>mdi.applyAuditing</c> step.
    /// </summary>
    public string? Mode { get; init; }
}

/// <summary>The output of <c>mdi.checkAuditing</c>.</summary>
public sealed record CheckAuditingOutput
{
    /// <summary>Whether every documented setting is in place.</summary>
    public required bool Compliant { get; init; }

    /// <summary>The configurations that apply to this server's roles.</summary>
    public required IReadOnlyList<string> Configurations { get; init; }

    /// <summary>The configurations that are not in place, for <c>mdi.applyAuditing</c>'s <c>configurations</c>.</summary>
    public required IReadOnlyList<string> Missing { get; init; }

    /// <summary>Each configuration checked.</summary>
    public required IReadOnlyList<AuditFinding> Findings { get; init; }

    /// <summary>The missing settings and their fixes in one paragraph, for a gate's instructions; "none" when compliant.</summary>
    public required string Summary { get; init; }
}

/// <summary>
/// <c>mdi.checkAuditing</c>: checks the Windows event auditing the sensor's detections rely on, for this server's roles,
/// against the documented settings (what <c>Test-MDIConfiguration</c> and Test-MdiReadiness.ps1 check): the advanced audit
/// policy and NTLM auditing on domain controllers, the SACLs of the domain object, the configuration container (where
/// Exchange is or was) and the AD FS container, verbose AD FS auditing, the CA's audit filter, Entra Connect's logon auditing.
/// </summary>
[Activity("mdi.checkAuditing", Description = "Checks the Windows event auditing the sensor needs (advanced audit policy, NTLM, SACLs, AD FS, AD CS, Entra Connect) against the documented settings.", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true, Rehearsal = RehearsalMode.Double)]
internal sealed class CheckAuditingActivity(IHostFacts host, IAuditSettings settings) : Activity<CheckAuditingInput, CheckAuditingOutput>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(CheckAuditingInput input, ActivityContext context)
    {
        var mode = string.IsNullOrWhiteSpace(input.Mode) ? "enforce" : input.Mode.Trim();
        if (mode is not ("enforce" or "report"))
        {
            return InvalidInput.Fail(context, $"'mode' is \"{input.Mode}\"; use \"enforce\" or \"report\".");
        }

        ActivityResult? failure = null;
        var evaluated = await AuditScopes.EvaluateAsync(host, settings, context, "mdi.checkAuditing", f => failure = f).ConfigureAwait(false);
        if (evaluated is not { } value)
        {
            return failure!;
        }

        var (scope, findings) = value;

        var missing = findings.Where(f => f.Status == FactStatus.Fail).ToList();
        var output = new CheckAuditingOutput
        {
            Compliant = missing.Count == 0,
            Configurations = AuditSettingsCatalog.For(scope),
            Missing = [.. missing.Select(f => f.Configuration)],
            Findings = findings,
            Summary = missing.Count == 0 ? "none" : AuditScopes.Describe(missing),
        };
        if (missing.Count == 0 || mode == "report")
        {
            return Complete(output);
        }

        return ActivityResult.Fail(new ActivityError(
            "mdi.auditingIncomplete",
            $"Windows event auditing is not configured as the sensor needs ({missing.Count} of {findings.Count} configuration(s)): {string.Join("; ", missing.Select(f => $"{f.Configuration}: {f.Found}, needs {f.Expected}"))}. Without it the sensor installs but its detections are blind.", Permanent: true)
        {
            Fix = string.Join(" ", missing.Select(f => f.Fix)) + " The deployment workflow can apply them for you after approval (mdi.applyAuditing).",
            Details = AuditScopes.Details(findings),
        });
    }
}
