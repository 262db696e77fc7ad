using System.Globalization;
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
    IReadOnlyList<DirectoryGroup> Groups)
{
    /// <summary>The account's own SID.</summary>
    public string? Sid { get; init; }

    /// <summary>The effective times of the forest's KDS root keys; null when the script could not read them.</summary>
    public IReadOnlyList<DateTimeOffset>? KdsRootKeys { get; init; }

    /// <summary>The principals holding SeServiceLogonRight here (<c>*SID</c> or names); null when not read.</summary>
    public IReadOnlyList<string>? ServiceLogonRight { get; init; }

    /// <summary>The SIDs in this server's Performance Log Users; null when not read.</summary>
    public IReadOnlyList<string>? PerformanceLogUsers { get; init; }

    /// <summary>Every identity that stands for the account: itself and its groups, as SIDs and names.</summary>
    private IEnumerable<string> Identities =>
        Groups.SelectMany(g => new[] { g.Sid, g.Account }).Append(Sid ?? "").Append(Account).Where(i => i.Length > 0);

    /// <summary>Whether the account or one of its groups holds "Log on as a service"; null when the right could not be read.</summary>
    public bool? LogOnAsServiceGranted => ServiceLogonRight is { } holders
        ? holders.Select(h => h.TrimStart('*')).Intersect(Identities, StringComparer.OrdinalIgnoreCase).Any()
        : null;

    /// <summary>Whether the account or one of its groups is in Performance Log Users; null when the group could not be read.</summary>
    public bool? PerformanceLogUsersMember => PerformanceLogUsers is { } members
        ? members.Intersect(Identities, StringComparer.OrdinalIgnoreCase).Any()
        : null;
}

/// <summary>Parses the JSON the service-account script prints (see <c>Host/Windows/Scripts/ServiceAccountScript.ps1</c>).</summary>
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
            groups)
        {
            Sid = PowerShellJson.String(item, "accountSid"),
            KdsRootKeys = OptionalStrings(item, "kdsRootKeys")?.Select(Time).ToList(),
            ServiceLogonRight = OptionalStrings(item, "serviceLogonRight"),
            PerformanceLogUsers = OptionalStrings(item, "performanceLogUsers"),
        };
    }

    /// <summary>A string array that may be absent or null (not read), or a bare string (one item).</summary>
    private static IReadOnlyList<string>? OptionalStrings(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.Array or JsonValueKind.String ? PowerShellJson.Strings(item, name) : null;

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"The KDS root key time '{text}' is not a date.");
}
