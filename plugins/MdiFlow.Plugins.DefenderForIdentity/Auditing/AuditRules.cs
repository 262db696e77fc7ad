using System.Globalization;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using static MdiFlow.Plugins.DefenderForIdentity.Auditing.AuditSettingsCatalog;

namespace MdiFlow.Plugins.DefenderForIdentity.Auditing;

/// <summary>
/// Judges auditing facts against the documented settings, compares as Test-MdiReadiness.ps1 does (subcategory GUIDs and
/// Setting Values, not localized names; a SACL entry counts when its rights include the required ones), and knows what
/// each configuration sets (for a simulated server that applies them).
/// </summary>
internal static class AuditRules
{
    public static IReadOnlyList<AuditFinding> Evaluate(AuditScope scope, AuditFacts facts)
    {
        var findings = new List<AuditFinding>();
        foreach (var configuration in For(scope))
        {
            findings.Add(configuration switch
            {
                AdvancedAuditPolicyDCs => Policy(configuration, facts, DomainControllerSubcategories, "the Default Domain Controllers Policy (or a dedicated GPO linked to Domain Controllers)"),
                AdvancedAuditPolicyCAs => Policy(configuration, facts, CertificationAuthoritySubcategories, "a GPO applied to the AD CS server"),
                EntraConnectAuditing => Policy(configuration, facts, EntraConnectSubcategories, "a GPO applied to the Entra Connect servers"),
                NtlmAuditing => Ntlm(facts),
                DomainObjectAuditing => DomainObject(facts),
                ConfigurationContainerAuditing => Container(configuration, facts.ConfigurationContainer, ConfigurationContainerAce, "the configuration container (CN=Configuration,...)", "it is needed only where Microsoft Exchange is or was", "In ADSI Edit connect to the Configuration naming context, open the properties of CN=Configuration > Security > Advanced > Auditing > Add: principal Everyone, type All, applies to This object and all descendant objects, permission Write all properties."),
                AdfsAuditing => Container(configuration, facts.AdfsContainer, AdfsContainerAce, "the AD FS container (CN=ADFS,CN=Microsoft,CN=Program Data,...)", "AD FS keeps no data in this domain", "In Active Directory Users and Computers open Program Data > Microsoft > ADFS > Properties > Security > Advanced > Auditing > Add: principal Everyone, type All, applies to This object and all descendant objects, permissions Read all properties and Write all properties."),
                AdfsVerboseAuditing => AdfsVerbose(facts),
                CaAuditing => Ca(facts),
                _ => throw new InvalidOperationException($"No rule for {configuration}."),
            });
        }

        return findings;
    }

    /// <summary>Facts that meet every documented setting for <paramref name="scope"/> (what a fully configured server reports).</summary>
    public static AuditFacts Compliant(AuditScope scope) => Apply(
        new AuditFacts
        {
            DomainSchemaVersion = scope.DomainController ? 88 : null,
            ConfigurationContainer = new ContainerAudit(true, []),
            AdfsContainer = scope.Adfs ? null : new ContainerAudit(false, []),
        },
        For(scope),
        scope);

    /// <summary>The facts after the documented settings of <paramref name="configurations"/> are applied.</summary>
    public static AuditFacts Apply(AuditFacts facts, IEnumerable<string> configurations, AuditScope scope)
    {
        foreach (var configuration in configurations)
        {
            facts = configuration switch
            {
                AdvancedAuditPolicyDCs => WithPolicy(facts, DomainControllerSubcategories),
                AdvancedAuditPolicyCAs => WithPolicy(facts, CertificationAuthoritySubcategories),
                EntraConnectAuditing => WithPolicy(facts, EntraConnectSubcategories),
                NtlmAuditing => facts with { NtlmAuditing = [.. NtlmValues.Select(v => new RegistryValueFact(v.Key, v.Name, v.Accepted[0]))] },
                DomainObjectAuditing => facts with
                {
                    DomainObjectSacl = [.. (facts.DomainObjectSacl ?? []), .. DomainObjectAces.Where(a => a.MinimumSchema <= (facts.DomainSchemaVersion ?? 0)).Select(Ace)],
                },
                ConfigurationContainerAuditing => facts with { ConfigurationContainer = WithAce(facts.ConfigurationContainer, ConfigurationContainerAce, scope.DomainController) },
                AdfsAuditing => facts with { AdfsContainer = WithAce(facts.AdfsContainer, AdfsContainerAce, scope.Adfs) },
                AdfsVerboseAuditing => facts with { AdfsAuditLevel = "Verbose" },
                CaAuditing => facts with { CertificationAuthorityAuditFilter = CaAuditFilter },
                _ => facts,
            };
        }

        return facts;
    }

    private static AuditFinding Policy(string configuration, AuditFacts facts, IReadOnlyList<RequiredSubcategory> required, string where)
    {
        var expected = string.Join(", ", required.Select(r => r.Name)) + ": Success and Failure";
        if (facts.AdvancedAuditPolicy is not { } policy)
        {
            return Finding(configuration, FactStatus.Warn, "the advanced audit policy could not be read (auditpol /backup)", expected, Fix(configuration, where, required));
        }

        var wrong = required
            .Select(r => (Required: r, Setting: policy.FirstOrDefault(p => string.Equals(p.SubcategoryGuid.Trim('{', '}'), r.Guid, StringComparison.OrdinalIgnoreCase))?.Setting ?? 0))
            .Where(r => r.Setting != SuccessAndFailure)
            .Select(r => $"Audit {r.Required.Name} ({r.Required.Category}) is {SettingName(r.Setting)}")
            .ToList();
        return wrong.Count == 0
            ? Finding(configuration, FactStatus.Pass, "every subcategory audits Success and Failure", expected, null)
            : Finding(configuration, FactStatus.Fail, string.Join("; ", wrong), expected, Fix(configuration, where, required));
    }

    private static string Fix(string configuration, string where, IReadOnlyList<RequiredSubcategory> required) =>
        $"In {where}, under Computer Configuration > Policies > Windows Settings > Security Settings > Advanced Audit Policy Configuration > Audit Policies, configure {string.Join(", ", required.Select(r => $"{r.Category} > Audit {r.Name}"))} for Success and Failure, then gpupdate; or run {Command(configuration, "Domain")}.";

    private static AuditFinding Ntlm(AuditFacts facts)
    {
        const string Expected = "Audit Incoming NTLM Traffic: Enable auditing for all accounts; Outgoing NTLM traffic to remote servers: Audit all; Audit NTLM authentication in this domain: Enable all";
        var fix = $"In the Default Domain Controllers Policy > Computer Configuration > Policies > Windows Settings > Security Settings > Local Policies > Security Options set {string.Join("; ", NtlmValues.Select(v => $"{v.Policy} to {v.Choice}"))}; or run {Command(NtlmAuditing, "Domain")}.";
        if (facts.NtlmAuditing is not { } values)
        {
            return Finding(NtlmAuditing, FactStatus.Warn, "the NTLM auditing registry values could not be read", Expected, fix);
        }

        var wrong = NtlmValues
            .Select(v => (Value: v, Found: values.FirstOrDefault(f => string.Equals(f.Name, v.Name, StringComparison.OrdinalIgnoreCase))?.Value))
            .Where(v => v.Found is null || !v.Value.Accepted.Contains(v.Found.Value))
            .Select(v => $"{v.Value.Policy} ({v.Value.Name}) is {(v.Found is { } n ? n.ToString(CultureInfo.InvariantCulture) : "not set")}")
            .ToList();
        return wrong.Count == 0
            ? Finding(NtlmAuditing, FactStatus.Pass, "set", Expected, null)
            : Finding(NtlmAuditing, FactStatus.Fail, string.Join("; ", wrong), Expected, fix);
    }

    private static AuditFinding DomainObject(AuditFacts facts)
    {
        var required = DomainObjectAces.Where(a => a.MinimumSchema <= (facts.DomainSchemaVersion ?? 0)).ToList();
        var expected = $"Everyone, Success, all rights but List contents, Read all properties and Read permissions, on {string.Join(", ", required.Select(r => r.Description))}";
        var fix = $"In Active Directory Users and Computers (View > Advanced Features) open the domain's Properties > Security > Advanced > Auditing and add, for each of {string.Join(", ", required.Select(r => r.Description))}: principal Everyone, type Success, Full Control without List contents, Read all properties and Read permissions; or run {Command(DomainObjectAuditing, "Domain")}.";
        if (facts.DomainObjectSacl is not { } sacl)
        {
            return Finding(DomainObjectAuditing, FactStatus.Warn, "the domain object's SACL could not be read", expected, fix);
        }

        var missing = required.Where(r => !sacl.Any(a => Meets(a, r))).Select(r => r.Description).ToList();
        return missing.Count == 0
            ? Finding(DomainObjectAuditing, FactStatus.Pass, "every entry is present", expected, null)
            : Finding(DomainObjectAuditing, FactStatus.Fail, "no audit entry for " + string.Join(", ", missing), expected, fix);
    }

    private static AuditFinding Container(string configuration, ContainerAudit? container, RequiredAce required, string what, string whyNotNeeded, string manual)
    {
        var expected = $"{what}: Everyone, Success and Failure, {(required.Mask == 48 ? "Read all properties and Write all properties" : "Write all properties")}, this object and all descendants";
        var fix = $"{manual} Or run {Command(configuration, "Domain")}.";
        if (container is null)
        {
            return Finding(configuration, FactStatus.Warn, $"whether {what} exists could not be read", expected, fix);
        }

        if (!container.Present)
        {
            return Finding(configuration, FactStatus.Pass, $"not needed: {whyNotNeeded}", expected, null);
        }

        return container.Sacl.Any(a => Meets(a, required))
            ? Finding(configuration, FactStatus.Pass, "the audit entry is present", expected, null)
            : Finding(configuration, FactStatus.Fail, $"{what} has no such audit entry", expected, fix);
    }

    private static AuditFinding AdfsVerbose(AuditFacts facts)
    {
        const string Expected = "AD FS AuditLevel Verbose";
        const string Fix = "On the AD FS server run Set-AdfsProperties -AuditLevel Verbose.";
        return facts.AdfsAuditLevel switch
        {
            null => Finding(AdfsVerboseAuditing, FactStatus.Warn, "the AD FS audit level could not be read (Get-AdfsProperties)", Expected, Fix),
            var level when level.Equals("Verbose", StringComparison.OrdinalIgnoreCase) => Finding(AdfsVerboseAuditing, FactStatus.Pass, level, Expected, null),
            var level => Finding(AdfsVerboseAuditing, FactStatus.Fail, $"AuditLevel {level}", Expected, Fix),
        };
    }

    private static AuditFinding Ca(AuditFacts facts)
    {
        const string Expected = "the CA's AuditFilter is 127 (every event)";
        var fix = $"On the CA run certutil -setreg CA\\AuditFilter 127, then net stop certsvc && net start certsvc; or run {Command(CaAuditing, "Domain")}.";
        return facts.CertificationAuthorityAuditFilter switch
        {
            null => Finding(CaAuditing, FactStatus.Warn, "the CA's AuditFilter could not be read", Expected, fix),
            CaAuditFilter => Finding(CaAuditing, FactStatus.Pass, "127", Expected, null),
            var filter => Finding(CaAuditing, FactStatus.Fail, $"AuditFilter {filter.Value.ToString(CultureInfo.InvariantCulture)}", Expected, fix),
        };
    }

    private static bool Meets(AuditAce ace, RequiredAce required) =>
        ace.Sid == Everyone
        && (ace.AccessMask & required.Mask) == required.Mask
        && (ace.AuditFlags & required.AuditFlags) == required.AuditFlags
        && string.Equals(ace.InheritedObjectType ?? "", required.InheritedObjectType ?? "", StringComparison.OrdinalIgnoreCase)
        && (!required.ContainerInherit || (ace.AceFlags & 2) == 2);

    private static AuditAce Ace(RequiredAce required) =>
        new(Everyone, required.Mask, required.AuditFlags, required.InheritedObjectType, (required.ContainerInherit ? 2 : 0) | (required.AuditFlags << 6));

    private static AuditFacts WithPolicy(AuditFacts facts, IReadOnlyList<RequiredSubcategory> required) => facts with
    {
        AdvancedAuditPolicy = [.. (facts.AdvancedAuditPolicy ?? []).Where(p => !required.Any(r => string.Equals(r.Guid, p.SubcategoryGuid.Trim('{', '}'), StringComparison.OrdinalIgnoreCase))),
            .. required.Select(r => new AuditPolicySetting(r.Guid, "Audit " + r.Name, SuccessAndFailure))],
    };

    private static ContainerAudit? WithAce(ContainerAudit? container, RequiredAce required, bool createWhenUnknown) =>
        container is { Present: false } ? container
        : container is null && !createWhenUnknown ? null
        : new ContainerAudit(true, [.. container?.Sacl ?? [], Ace(required)]);

    private static string SettingName(int setting) => setting switch
    {
        1 => "Success only",
        2 => "Failure only",
        3 => "Success and Failure",
        _ => "No Auditing",
    };

    private static AuditFinding Finding(string configuration, FactStatus status, string found, string expected, string? fix) =>
        new() { Configuration = configuration, Status = status, Found = found, Expected = expected, Fix = fix };
}
