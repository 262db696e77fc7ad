namespace MdiFlow.Plugins.DefenderForIdentity.Host;

/// <summary>
/// The Windows event auditing the sensor's detections rely on: read on the target server (advanced audit policy, NTLM
/// auditing, the SACLs of the domain object, the configuration container and the AD FS container, AD FS and AD CS
/// auditing), and applied as the DefenderForIdentity module's <c>Set-MDIConfiguration</c> does. The Windows
/// implementation reads auditpol, the registry and the directory; the lab implementation reads a host profile.
/// </summary>
public interface IAuditSettings
{
    /// <summary>The auditing facts that matter for the roles in <paramref name="scope"/>.</summary>
    ValueTask<AuditFacts> ReadAsync(AuditScope scope, CancellationToken cancellationToken);

    /// <summary>Applies the documented settings of each configuration (Set-MDIConfiguration names, for example <c>NTLMAuditing</c>).</summary>
    ValueTask<AuditApplyResult> ApplyAsync(AuditApplyRequest request, CancellationToken cancellationToken);
}

/// <summary>Which roles' auditing applies to this server.</summary>
/// <param name="DomainController">A domain controller: advanced audit policy, NTLM auditing, domain-object, configuration-container and AD FS container SACLs.</param>
/// <param name="Adfs">An AD FS server: the AD FS container SACL and verbose AD FS auditing.</param>
/// <param name="Adcs">An AD CS server (Certification Authority): Audit Certification Services and the CA's audit filter.</param>
/// <param name="EntraConnect">An Entra Connect server: Audit Logon.</param>
public sealed record AuditScope(bool DomainController, bool Adfs, bool Adcs, bool EntraConnect);

/// <summary>The auditing facts of one server (null where a fact was not read or does not apply).</summary>
public sealed record AuditFacts
{
    /// <summary>The effective advanced audit policy (auditpol /backup): one entry per subcategory.</summary>
    public IReadOnlyList<AuditPolicySetting>? AdvancedAuditPolicy { get; init; }

    /// <summary>The NTLM auditing registry values (AuditReceivingNTLMTraffic, RestrictSendingNTLMTraffic, AuditNTLMInDomain).</summary>
    public IReadOnlyList<RegistryValueFact>? NtlmAuditing { get; init; }

    /// <summary>The SACL of the domain object (defaultNamingContext).</summary>
    public IReadOnlyList<AuditAce>? DomainObjectSacl { get; init; }

    /// <summary>The schema's objectVersion (90 or more: Windows Server 2025, which adds delegated managed service accounts).</summary>
    public int? DomainSchemaVersion { get; init; }

    /// <summary>The configuration container; it must be audited only where Exchange is or was (CN=Microsoft Exchange,CN=Services).</summary>
    public ContainerAudit? ConfigurationContainer { get; init; }

    /// <summary>The AD FS container (CN=ADFS,CN=Microsoft,CN=Program Data,...), present when AD FS stores its data in the domain.</summary>
    public ContainerAudit? AdfsContainer { get; init; }

    /// <summary>On an AD FS server: Get-AdfsProperties' AuditLevel (None, Basic or Verbose).</summary>
    public string? AdfsAuditLevel { get; init; }

    /// <summary>On a Certification Authority: the CA's AuditFilter (127 audits every event).</summary>
    public long? CertificationAuthorityAuditFilter { get; init; }
}

/// <summary>One advanced audit policy subcategory.</summary>
/// <param name="SubcategoryGuid">The subcategory's GUID, for example <c>0cce923f-69ae-11d9-bed3-505054503030</c> (Credential Validation).</param>
/// <param name="Subcategory">Its (possibly localized) name.</param>
/// <param name="Setting">0 no auditing, 1 success, 2 failure, 3 success and failure.</param>
public sealed record AuditPolicySetting(string SubcategoryGuid, string? Subcategory, int Setting);

/// <summary>One entry of a SACL.</summary>
/// <param name="Sid">Whom it audits, for example <c>S-1-1-0</c> (Everyone).</param>
/// <param name="AccessMask">The audited rights (ActiveDirectoryRights).</param>
/// <param name="AuditFlags">1 success, 2 failure, 3 both.</param>
/// <param name="InheritedObjectType">The object class it applies to (for example <c>bf967aba-0de6-11d0-a285-00aa003049e2</c>, user), or null for all.</param>
/// <param name="AceFlags">The ACE's flags (2 is container inherit: this object and all descendants).</param>
public sealed record AuditAce(string Sid, long AccessMask, int AuditFlags, string? InheritedObjectType, int AceFlags);

/// <summary>A directory container that may need auditing.</summary>
/// <param name="Present">Whether it exists (and so must be audited).</param>
/// <param name="Sacl">Its SACL; empty when it has none.</param>
public sealed record ContainerAudit(bool Present, IReadOnlyList<AuditAce> Sacl);

/// <summary>What to apply.</summary>
/// <param name="Configurations">Set-MDIConfiguration configuration names (and <c>AdfsVerboseAuditing</c>).</param>
/// <param name="Mode"><c>Domain</c> (GPOs created and linked, then gpupdate) or <c>LocalMachine</c>.</param>
/// <param name="Identity">The directory service account, which Set-MDIConfiguration -Mode Domain asks for.</param>
public sealed record AuditApplyRequest(IReadOnlyList<string> Configurations, string Mode, string? Identity);

/// <summary>What applying did.</summary>
/// <param name="Applied">The configurations applied.</param>
/// <param name="Commands">The commands run, as an administrator would type them (for the change record).</param>
public sealed record AuditApplyResult(IReadOnlyList<string> Applied, IReadOnlyList<string> Commands);
