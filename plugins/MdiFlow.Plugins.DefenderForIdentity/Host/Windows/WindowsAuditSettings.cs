using System.Runtime.Versioning;
using System.Text.Json;
using MdiFlow.Plugins.DefenderForIdentity.Auditing;
using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Windows;

/// <summary>
/// The auditing of the Windows server MdiFlow runs on: the effective advanced audit policy from <c>auditpol /backup</c>,
/// NTLM auditing and the CA's audit filter from the registry, the directory SACLs through ADSI (the auditing script), and
/// changes through the DefenderForIdentity module (the apply script).
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsAuditSettings(TimeProvider time) : IAuditSettings
{
    private const string CertSvc = @"SYSTEM\CurrentControlSet\Services\CertSvc\Configuration";

    public async ValueTask<AuditFacts> ReadAsync(AuditScope scope, CancellationToken cancellationToken)
    {
        var facts = new AuditFacts();
        if (scope.DomainController || scope.Adfs)
        {
            var roles = string.Join(',', new[] { scope.DomainController ? "dc" : null, scope.Adfs ? "adfs" : null }.OfType<string>());
            facts = await WindowsHostFacts.ParsedAsync(
                "the directory's auditing (SACLs of the domain object, configuration and AD FS containers)",
                () => ConsoleCommand.PowerShellAsync(PowerShellScripts.Embedded("AuditingScript.ps1"), time, cancellationToken, new Dictionary<string, string> { ["MDIFLOW_AUDIT_ROLES"] = roles }),
                AuditingReportParser.Parse).ConfigureAwait(false);
        }

        if (scope.DomainController || scope.Adcs || scope.EntraConnect)
        {
            facts = facts with { AdvancedAuditPolicy = await AdvancedAuditPolicyAsync(cancellationToken).ConfigureAwait(false) };
        }

        if (scope.DomainController)
        {
            facts = facts with { NtlmAuditing = [.. AuditSettingsCatalog.NtlmValues.Select(v => new RegistryValueFact(v.Key, v.Name, WindowsRegistry.Number(v.Key, v.Name)))] };
        }

        if (scope.Adcs && WindowsRegistry.Text(CertSvc, "Active") is { Length: > 0 } ca)
        {
            facts = facts with { CertificationAuthorityAuditFilter = WindowsRegistry.Number($@"{CertSvc}\{ca}", "AuditFilter") };
        }

        return facts;
    }

    public async ValueTask<AuditApplyResult> ApplyAsync(AuditApplyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var environment = new Dictionary<string, string>
        {
            ["MDIFLOW_AUDIT_CONFIGURATIONS"] = string.Join(',', request.Configurations),
            ["MDIFLOW_AUDIT_MODE"] = request.Mode,
        };
        if (request.Identity is { } identity)
        {
            environment["MDIFLOW_AUDIT_IDENTITY"] = identity;
        }

        return await WindowsHostFacts.ParsedAsync(
            "the auditing changes (Set-MDIConfiguration)",
            () => ConsoleCommand.PowerShellAsync(PowerShellScripts.Embedded("ApplyAuditingScript.ps1"), time, cancellationToken, environment),
            output =>
            {
                var item = PowerShellJson.Single(output, "apply report");
                return new AuditApplyResult(PowerShellJson.Strings(item, "applied"), PowerShellJson.Strings(item, "commands"));
            }).ConfigureAwait(false);
    }

    /// <summary>auditpol /backup to a private temporary file, read and deleted.</summary>
    private async Task<IReadOnlyList<AuditPolicySetting>?> AdvancedAuditPolicyAsync(CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mdiflow-auditpol-{Guid.NewGuid():N}.csv");
        try
        {
            var result = await ConsoleCommand.RunAsync(ConsoleCommand.System32("auditpol.exe"), ["/backup", "/file:" + file], time, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0 || !File.Exists(file))
            {
                return null;
            }

            return AuditPolicyBackupParser.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is FormatException or IOException or JsonException)
        {
            return null;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
