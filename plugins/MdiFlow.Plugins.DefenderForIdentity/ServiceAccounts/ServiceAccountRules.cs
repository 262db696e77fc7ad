using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.ServiceAccounts;

/// <summary>One check of a directory service account; a failed one carries its error code and documented fix.</summary>
/// <param name="Check">The fact as approvers read it.</param>
/// <param name="Code">The error code when it failed.</param>
/// <param name="Fix">What the documentation says to do when it failed.</param>
internal sealed record AccountCheck(FactCheck Check, string? Code = null, string? Fix = null);

/// <summary>The directory service account requirements, as the DefenderForIdentity module's Test-MDIDSA checks them.</summary>
internal static class ServiceAccountRules
{
    /// <summary>A KDS root key is usable once it has replicated: ten hours after its effective time (Add-KdsRootKey).</summary>
    public static readonly TimeSpan KdsReplication = TimeSpan.FromHours(10);

    public static IReadOnlyList<AccountCheck> Evaluate(ServiceAccountFacts account, ServerFacts server, string? expectedKind, DateTimeOffset now)
    {
        var checks = new List<AccountCheck>();
        var isGmsa = string.Equals(account.Kind, "gMSA", StringComparison.OrdinalIgnoreCase);
        if (expectedKind is not null)
        {
            var matches = string.Equals(expectedKind, account.Kind, StringComparison.OrdinalIgnoreCase);
            checks.Add(matches
                ? Pass("kind", account.Kind, expectedKind)
                : Fail("kind", account.Kind, expectedKind, "mdi.accountKindMismatch", $"Use a {expectedKind} account, or change 'kind' to {account.Kind} if this account is the intended one."));
        }

        checks.Add(account.Enabled
            ? Pass("enabled", "enabled", "enabled")
            : Fail("enabled", "disabled", "enabled", "mdi.accountDisabled", "Enable the account in Active Directory, then retry."));

        if (isGmsa)
        {
            checks.Add(KdsRootKey(account, now));
            checks.Add(account.HostCanRetrievePassword == true
                ? Pass("passwordRetrievable", "yes", "this server may retrieve the gMSA's password")
                : Fail(
                    "passwordRetrievable",
                    account.HostCanRetrievePassword is null ? "unknown" : "no",
                    "this server may retrieve the gMSA's password",
                    "mdi.gmsaPasswordNotRetrievable",
                    $"Add {server.ComputerName} (or better, a group holding every sensor server) to the gMSA's PrincipalsAllowedToRetrieveManagedPassword, for example Set-ADServiceAccount -Identity {ShortName(account.Account)} -PrincipalsAllowedToRetrieveManagedPassword mdiSensorServers; restart the server (or run klist purge -li 0x3e7) so the new group membership applies, then retry."));
        }

        if (isGmsa)
        {
            checks.Add(account.LogOnAsServiceGranted switch
            {
                true => Pass("logOnAsService", "granted", "\"Log on as a service\" on this server"),
                false => Fail(
                    "logOnAsService",
                    "not granted",
                    "\"Log on as a service\" on this server",
                    "mdi.logOnAsServiceMissing",
                    $"The sensor (LocalService) impersonates the gMSA, which fails when the user right \"Log on as a service\" is assigned here without it: add {ShortName(account.Account)} to Computer Configuration > Policies > Windows Settings > Security Settings > Local Policies > User Rights Assignment > Log on as a service in the GPO that sets that right for {server.ComputerName}, run gpupdate /force, then retry."),
                null => Warn("logOnAsService", "unknown", "\"Log on as a service\" on this server", "The user rights of this server could not be read (secedit /export): if \"Log on as a service\" is assigned by policy, add the gMSA to it."),
            });
        }

        if (!server.IsDomainController && server.Roles.Any(r => r is "adfs" or "adcs"))
        {
            checks.Add(account.PerformanceLogUsersMember switch
            {
                true => Pass("performanceLogUsers", "member", "member of Performance Log Users on this AD FS / AD CS server"),
                false => Fail(
                    "performanceLogUsers",
                    "not a member",
                    "member of Performance Log Users on this AD FS / AD CS server",
                    "mdi.performanceLogUsersMissing",
                    $"Add {ShortName(account.Account)} to the Performance Log Users group of {server.ComputerName} (Add-LocalGroupMember -SID S-1-5-32-559 -Member {account.Account}); without it the sensor cannot read the performance counters' registry keys (\"Access to the registry key 'Global' is denied\"). Then retry."),
                null => Warn("performanceLogUsers", "unknown", "member of Performance Log Users on this AD FS / AD CS server", "The members of Performance Log Users could not be read; add the account to it (Add-LocalGroupMember -SID S-1-5-32-559)."),
            });
        }

        checks.Add(account.SensitiveGroups.Count == 0
            ? Pass("notInSensitiveGroups", "none", "no sensitive group memberships")
            : Fail(
                "notInSensitiveGroups",
                string.Join(", ", account.SensitiveGroups),
                "no sensitive group memberships",
                "mdi.accountSensitive",
                "Remove the account from these groups: the directory service account only needs read access to the directory."));

        checks.Add(account.DeletedObjectsReadable
            ? Pass("deletedObjectsReadable", "yes", "read access to the Deleted Objects container")
            : Fail(
                "deletedObjectsReadable",
                "no",
                "read access to the Deleted Objects container",
                "mdi.deletedObjectsNotReadable",
                $"Grant read access as the documentation shows: dsacls \"CN=Deleted Objects,DC=contoso,DC=com\" /takeOwnership, then dsacls \"CN=Deleted Objects,DC=contoso,DC=com\" /G \"CONTOSO\\{ShortName(account.Account)}:LCRP\" (a group holding the account works too); then retry."));
        return checks;
    }

    private static AccountCheck KdsRootKey(ServiceAccountFacts account, DateTimeOffset now)
    {
        const string Requirement = "a KDS root key effective at least 10 hours ago";
        if (account.KdsRootKeyEffectiveTimes is not { } keys)
        {
            return Warn("kdsRootKey", "unknown", Requirement, "The forest's KDS root keys could not be read (Get-KdsRootKey); a gMSA needs one.");
        }

        if (keys.Count == 0)
        {
            return Fail("kdsRootKey", "none", Requirement, "mdi.kdsRootKeyMissing", "Create the forest's KDS root key on a domain controller (Add-KdsRootKey -EffectiveImmediately, as a Domain Admin or Enterprise Admin); it is usable once it has replicated, after up to 10 hours. Then retry.");
        }

        var usable = keys.Where(k => k + KdsReplication <= now).ToList();
        if (usable.Count > 0)
        {
            return Pass("kdsRootKey", $"effective {usable.Min():u}", Requirement);
        }

        var first = keys.Min() + KdsReplication;
        return new(
            new FactCheck { Name = "kdsRootKey", Status = FactStatus.Fail, Value = $"effective {keys.Min():u}", Requirement = Requirement, Note = $"The KDS root key is usable once it has replicated, from {first:u}: retry then." },
            "mdi.kdsRootKeyNotYetUsable",
            $"The KDS root key is usable once it has replicated to every domain controller, from {first:u}: retry then.");
    }

    private static AccountCheck Warn(string name, string value, string requirement, string note) =>
        new(new FactCheck { Name = name, Status = FactStatus.Warn, Value = value, Requirement = requirement, Note = note });

    private static string ShortName(string account) => account[(account.LastIndexOf('\\') + 1)..];

    private static AccountCheck Pass(string name, string value, string requirement) =>
        new(new FactCheck { Name = name, Status = FactStatus.Pass, Value = value, Requirement = requirement });

    private static AccountCheck Fail(string name, string value, string requirement, string code, string fix) =>
        new(new FactCheck { Name = name, Status = FactStatus.Fail, Value = value, Requirement = requirement, Note = fix }, code, fix);
}
