using System.Runtime.Versioning;
using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Windows;

/// <summary>
/// A directory service account checked as the DefenderForIdentity module's <c>Test-MDIDSA</c> does:
/// the ActiveDirectory module for the account, its token groups and gMSA password retrieval,
/// and <c>dsacls</c> for read access to the Deleted Objects container.
/// </summary>
[SupportedOSPlatform("windows")]
internal static class WindowsServiceAccounts
{
    private static readonly Lazy<string> Script = new(() => PowerShellScripts.Embedded("ServiceAccountScript.ps1"));

    public static async ValueTask<ServiceAccountFacts> ReadAsync(string account, TimeProvider time, CancellationToken cancellationToken)
    {
        var directory = await WindowsHostFacts.ParsedAsync(
            $"the account {account} from Active Directory (needs the ActiveDirectory PowerShell module, RSAT-AD-PowerShell)",
            () => ConsoleCommand.PowerShellAsync(Script.Value, time, cancellationToken, new Dictionary<string, string> { ["MDIFLOW_DSA"] = account }),
            output => DirectoryAccountParser.Parse(output, account)).ConfigureAwait(false);
        if (!directory.Exists)
        {
            return new ServiceAccountFacts { Account = account, Exists = false };
        }

        var deletedObjects = "CN=Deleted Objects," + directory.DomainDistinguishedName;
        var principals = directory.Groups.Select(g => g.Account).Append(directory.Account).Append("Everyone").Append(@"NT AUTHORITY\Authenticated Users").ToList();
        var readable = await WindowsHostFacts.ParsedAsync(
            $"the access list of {deletedObjects} with dsacls",
            () => ConsoleCommand.RunAsync(ConsoleCommand.System32("dsacls.exe"), [deletedObjects], time, cancellationToken),
            output => DsaclsParser.GrantsRead(output, principals)).ConfigureAwait(false);

        return new ServiceAccountFacts
        {
            Account = directory.Account,
            Exists = true,
            Kind = directory.Kind,
            Enabled = directory.Enabled,
            SensitiveGroups = SensitiveGroups.Among(directory.Groups),
            HostCanRetrievePassword = directory.HostCanRetrievePassword,
            DeletedObjectsReadable = readable,
            KdsRootKeyEffectiveTimes = directory.KdsRootKeys,
            LogOnAsServiceGranted = directory.LogOnAsServiceGranted,
            PerformanceLogUsersMember = directory.PerformanceLogUsersMember,
        };
    }
}
