namespace MdiFlow.Plugins.DefenderForIdentity.Auditing;

/// <summary>An advanced audit policy subcategory the sensor needs audited for success and failure.</summary>
/// <param name="Guid">The subcategory GUID (lower case), as auditpol /backup writes it.</param>
/// <param name="Name">Its English name.</param>
/// <param name="Category">The audit policy category it sits under in Group Policy.</param>
internal sealed record RequiredSubcategory(string Guid, string Name, string Category);

/// <summary>An audit entry the sensor needs on a directory object.</summary>
/// <param name="Mask">The rights that must be audited (at least these).</param>
/// <param name="AuditFlags">The audit flags that must be set (at least these).</param>
/// <param name="InheritedObjectType">The object class it applies to, or null.</param>
/// <param name="Description">How the GUI shows "Applies to".</param>
/// <param name="MinimumSchema">The schema version from which the class exists.</param>
/// <param name="ContainerInherit">Whether it must apply to this object and all descendants.</param>
internal sealed record RequiredAce(long Mask, int AuditFlags, string? InheritedObjectType, string Description, int MinimumSchema = 0, bool ContainerInherit = false);

/// <summary>
/// The documented auditing settings, as configure-windows-event-collection and Test-MdiReadiness.ps1 list them, by the
/// configuration names of the DefenderForIdentity module's <c>Set-MDIConfiguration</c>.
/// </summary>
internal static class AuditSettingsCatalog
{
    public const string AdvancedAuditPolicyDCs = "AdvancedAuditPolicyDCs";
    public const string NtlmAuditing = "NTLMAuditing";
    public const string DomainObjectAuditing = "DomainObjectAuditing";
    public const string ConfigurationContainerAuditing = "ConfigurationContainerAuditing";
    public const string AdfsAuditing = "AdfsAuditing";
    public const string AdfsVerboseAuditing = "AdfsVerboseAuditing";
    public const string AdvancedAuditPolicyCAs = "AdvancedAuditPolicyCAs";
    public const string CaAuditing = "CAAuditing";
    public const string EntraConnectAuditing = "EntraConnectAuditing";

    public const string Everyone = "S-1-1-0";

    /// <summary>Success and failure (auditpol's Setting Value 3).</summary>
    public const int SuccessAndFailure = 3;

    /// <summary>The CA audit filter that audits every event (certutil -setreg CA\AuditFilter 127).</summary>
    public const long CaAuditFilter = 127;

    public static readonly IReadOnlyList<RequiredSubcategory> DomainControllerSubcategories =
    [
        new("0cce923f-69ae-11d9-bed3-505054503030", "Credential Validation", "Account Logon"),
        new("0cce9236-69ae-11d9-bed3-505054503030", "Computer Account Management", "Account Management"),
        new("0cce9238-69ae-11d9-bed3-505054503030", "Distribution Group Management", "Account Management"),
        new("0cce9237-69ae-11d9-bed3-505054503030", "Security Group Management", "Account Management"),
        new("0cce9235-69ae-11d9-bed3-505054503030", "User Account Management", "Account Management"),
        new("0cce923b-69ae-11d9-bed3-505054503030", "Directory Service Access", "DS Access"),
        new("0cce923c-69ae-11d9-bed3-505054503030", "Directory Service Changes", "DS Access"),
        new("0cce9211-69ae-11d9-bed3-505054503030", "Security System Extension", "System"),
    ];

    public static readonly IReadOnlyList<RequiredSubcategory> CertificationAuthoritySubcategories =
    [
        new("0cce9221-69ae-11d9-bed3-505054503030", "Certification Services", "Object Access"),
    ];

    public static readonly IReadOnlyList<RequiredSubcategory> EntraConnectSubcategories =
    [
        new("0cce9215-69ae-11d9-bed3-505054503030", "Logon", "Logon/Logoff"),
    ];

    /// <summary>The NTLM auditing values: key, value, accepted values, the Group Policy setting and the value to pick.</summary>
    public static readonly IReadOnlyList<(string Key, string Name, long[] Accepted, string Policy, string Choice)> NtlmValues =
    [
        (@"SYSTEM\CurrentControlSet\Control\Lsa\MSV1_0", "AuditReceivingNTLMTraffic", [2], "Network security: Restrict NTLM: Audit Incoming NTLM Traffic", "Enable auditing for all accounts"),
        (@"SYSTEM\CurrentControlSet\Control\Lsa\MSV1_0", "RestrictSendingNTLMTraffic", [1, 2], "Network security: Restrict NTLM: Outgoing NTLM traffic to remote servers", "Audit all"),
        (@"SYSTEM\CurrentControlSet\Services\Netlogon\Parameters", "AuditNTLMInDomain", [7], "Network security: Restrict NTLM: Audit NTLM authentication in this domain", "Enable all"),
    ];

    /// <summary>Everyone, Success, every right except List contents, Read all properties and Read permissions, on these descendant classes.</summary>
    public static readonly IReadOnlyList<RequiredAce> DomainObjectAces =
    [
        new(852331, 1, "bf967aba-0de6-11d0-a285-00aa003049e2", "Descendant User objects"),
        new(852331, 1, "bf967a9c-0de6-11d0-a285-00aa003049e2", "Descendant Group objects"),
        new(852331, 1, "bf967a86-0de6-11d0-a285-00aa003049e2", "Descendant Computer objects"),
        new(852331, 1, "ce206244-5827-4a86-ba1c-1c0c386c1b64", "Descendant msDS-ManagedServiceAccount objects"),
        new(852075, 1, "7b8b558a-93a5-4af7-adca-c017e67f1057", "Descendant msDS-GroupManagedServiceAccount objects"),
        new(852075, 1, "0feb936f-47b3-49f2-9386-1dedc2c23765", "Descendant msDS-DelegatedManagedServiceAccount objects", MinimumSchema: 90),
    ];

    /// <summary>Everyone, success and failure, Write all properties, this object and all descendants.</summary>
    public static readonly RequiredAce ConfigurationContainerAce = new(32, 3, null, "This object and all descendant objects", ContainerInherit: true);

    /// <summary>Everyone, success and failure, Read all properties and Write all properties, this object and all descendants.</summary>
    public static readonly RequiredAce AdfsContainerAce = new(48, 3, null, "This object and all descendant objects", ContainerInherit: true);

    /// <summary>The configurations that apply to a server with these roles.</summary>
    public static IReadOnlyList<string> For(Host.AuditScope scope)
    {
        var names = new List<string>();
        if (scope.DomainController)
        {
            names.AddRange([AdvancedAuditPolicyDCs, NtlmAuditing, DomainObjectAuditing, ConfigurationContainerAuditing, AdfsAuditing]);
        }

        if (scope.Adfs)
        {
            names.AddRange([AdfsAuditing, AdfsVerboseAuditing]);
        }

        if (scope.Adcs)
        {
            names.AddRange([AdvancedAuditPolicyCAs, CaAuditing]);
        }

        if (scope.EntraConnect)
        {
            names.Add(EntraConnectAuditing);
        }

        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The documented way to apply a configuration, for messages.</summary>
    public static string Command(string configuration, string mode) => configuration switch
    {
        AdfsVerboseAuditing => "Set-AdfsProperties -AuditLevel Verbose",
        _ => $"Set-MDIConfiguration -Mode {mode} -Configuration {configuration}",
    };
}
