using MdiFlow.Lab.Profiles;
using MdiFlow.Plugins.DefenderForIdentity.Auditing;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Lab.Host;

/// <summary>
/// The simulated server's auditing: the profile's facts (every documented setting when it gives none), with the
/// configurations a rehearsed <c>mdi.applyAuditing</c> applied recorded in the lab state, so a later process sees them.
/// </summary>
internal sealed class LabAuditSettings(LabProfile profile, LabState state) : IAuditSettings
{
    public ValueTask<AuditFacts> ReadAsync(AuditScope scope, CancellationToken cancellationToken)
    {
        var facts = profile.Auditing ?? AuditRules.Compliant(scope);
        return ValueTask.FromResult(AuditRules.Apply(facts, state.ReadAppliedAuditing(), scope));
    }

    public ValueTask<AuditApplyResult> ApplyAsync(AuditApplyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        state.AddAppliedAuditing(request.Configurations);
        var module = request.Configurations.Where(c => c != AuditSettingsCatalog.AdfsVerboseAuditing).ToList();
        var commands = new List<string>();
        if (module.Count > 0)
        {
            commands.Add($"Set-MDIConfiguration -Mode {request.Mode} -Configuration {string.Join(',', module)}{(request.Identity is { } identity ? " -Identity " + identity : "")}");
        }

        if (request.Configurations.Contains(AuditSettingsCatalog.AdfsVerboseAuditing))
        {
            commands.Add(AuditSettingsCatalog.Command(AuditSettingsCatalog.AdfsVerboseAuditing, request.Mode));
        }

        if (request.Mode == "Domain" && module.Count > 0)
        {
            commands.Add("gpupdate.exe /target:computer /force");
        }

        return ValueTask.FromResult(new AuditApplyResult(request.Configurations, commands));
    }
}
