using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Readiness;

namespace MdiFlow.Plugins.DefenderForIdentity.ServiceAccounts;

/// <summary>One check of a directory service account; a failed one carries its error code and documented fix.</summary>
/// <param name="Check">The fact as approvers read it.</param>
/// <param name="Code">The error code when it failed.</param>
/// <param name="Fix">What the documentation says to do when it failed.</param>
internal sealed record AccountCheck(FactCheck Check, string? Code = null, string? Fix = null);

/// <summary>The directory service account requirements, as the DefenderForIdentity module's Test-MDIDSA checks them.</summary>
internal static class ServiceAccountRules
{
    public static IReadOnlyList<AccountCheck> Evaluate(ServiceAccountFacts account, ServerFacts server, string? expectedKind)
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
            var version = ServerVersion.Parse(server.OsVersion);
            checks.Add(version is { Is2008R2OrOlder: true }
                ? Fail("gmsaSupported", version.ToString(), "Windows Server 2012 or later", "mdi.gmsaNotSupported", "Sensors on Windows Server 2008 R2 SP1 cannot use a gMSA: use a standard AD user account as the directory service account (or upgrade the server).")
                : Pass("gmsaSupported", version?.ToString() ?? server.OsVersion, "Windows Server 2012 or later"));
            checks.Add(account.HostCanRetrievePassword == true
                ? Pass("passwordRetrievable", "yes", "this server may retrieve the gMSA's password")
                : Fail(
                    "passwordRetrievable",
                    account.HostCanRetrievePassword is null ? "unknown" : "no",
                    "this server may retrieve the gMSA's password",
                    "mdi.gmsaPasswordNotRetrievable",
                    $"Add {server.ComputerName} (or better, a group holding every sensor server) to the gMSA's PrincipalsAllowedToRetrieveManagedPassword, for example Set-ADServiceAccount -Identity {ShortName(account.Account)} -PrincipalsAllowedToRetrieveManagedPassword mdiSensorServers; restart the server (or run klist purge -li 0x3e7) so the new group membership applies, then retry."));
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

    private static string ShortName(string account) => account[(account.LastIndexOf('\\') + 1)..];

    private static AccountCheck Pass(string name, string value, string requirement) =>
        new(new FactCheck { Name = name, Status = FactStatus.Pass, Value = value, Requirement = requirement });

    private static AccountCheck Fail(string name, string value, string requirement, string code, string fix) =>
        new(new FactCheck { Name = name, Status = FactStatus.Fail, Value = value, Requirement = requirement, Note = fix }, code, fix);
}
