using System.Text.Json;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>A directory service account as the service-account script reports it.</summary>
/// <param name="Exists">Whether the directory has it.</param>
/// <param name="Account">Its name as <c>DOMAIN\sAMAccountName</c>.</param>
/// <param name="Kind"><c>gMSA</c> or <c>user</c>.</param>
/// <param name="Enabled">Whether it is enabled.</param>
/// <param name="DomainDistinguishedName">The domain's DN, for example <c>DC=contoso,DC=com</c>.</param>
/// <param name="HostCanRetrievePassword">For a gMSA, what <c>Test-ADServiceAccount</c> says on this host.</param>
/// <param name="Groups">Every group in its token (transitive).</param>
internal sealed record DirectoryAccount(
    bool Exists,
    string Account,
    string Kind,
    bool Enabled,
    string? DomainDistinguishedName,
    bool? HostCanRetrievePassword,
    IReadOnlyList<DirectoryGroup> Groups);

/// <summary>Parses the JSON the service-account script prints (see <c>Host/Windows/ServiceAccountScript.ps1</c>).</summary>
internal static class DirectoryAccountParser
{
    /// <exception cref="FormatException">The output is not the script's JSON.</exception>
    public static DirectoryAccount Parse(string output, string requested)
    {
        var item = PowerShellJson.Single(output, "account");
        var exists = PowerShellJson.Boolean(item, "exists") ?? throw new FormatException("The service-account script printed no 'exists'.");
        var objectClass = PowerShellJson.String(item, "objectClass") ?? "";
        var groups = item.TryGetProperty("groups", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
                .Where(g => g.ValueKind == JsonValueKind.Object)
                .Select(g => new DirectoryGroup(PowerShellJson.String(g, "sid") ?? "", PowerShellJson.String(g, "account") ?? ""))
                .ToList()
            : [];
        return new DirectoryAccount(
            exists,
            PowerShellJson.String(item, "account") ?? requested,
            objectClass.Equals("msDS-GroupManagedServiceAccount", StringComparison.OrdinalIgnoreCase) ? "gMSA" : "user",
            PowerShellJson.Boolean(item, "enabled") ?? false,
            PowerShellJson.String(item, "domainDistinguishedName"),
            PowerShellJson.Boolean(item, "hostCanRetrievePassword"),
            groups);
    }
}
