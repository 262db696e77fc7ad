namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>
/// The groups a directory service account must not belong to, by well-known SID (names are localized):
/// the built-in operator groups and the domain's administrative groups.
/// </summary>
internal static class SensitiveGroups
{
    private static readonly Dictionary<string, string> BuiltIn = new(StringComparer.OrdinalIgnoreCase)
    {
        ["S-1-5-32-544"] = "Administrators",
        ["S-1-5-32-548"] = "Account Operators",
        ["S-1-5-32-549"] = "Server Operators",
        ["S-1-5-32-550"] = "Print Operators",
        ["S-1-5-32-551"] = "Backup Operators",
    };

    private static readonly Dictionary<string, string> DomainRelative = new(StringComparer.Ordinal)
    {
        ["512"] = "Domain Admins",
        ["518"] = "Schema Admins",
        ["519"] = "Enterprise Admins",
        ["526"] = "Key Admins",
        ["527"] = "Enterprise Key Admins",
    };

    /// <summary>The sensitive groups among <paramref name="groups"/>, by the name the directory gave (or the English name when it gave none).</summary>
    public static IReadOnlyList<string> Among(IEnumerable<DirectoryGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return [.. groups.Where(g => EnglishName(g.Sid) is not null).Select(g => string.IsNullOrEmpty(g.Account) ? EnglishName(g.Sid)! : g.Account).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The English name of a sensitive group's SID, or null when the SID is not a sensitive group.</summary>
    public static string? EnglishName(string sid)
    {
        ArgumentNullException.ThrowIfNull(sid);
        if (BuiltIn.TryGetValue(sid, out var name))
        {
            return name;
        }

        // Domain groups: S-1-5-21-<domain>-<rid>.
        var rid = sid.StartsWith("S-1-5-21-", StringComparison.OrdinalIgnoreCase) ? sid[(sid.LastIndexOf('-') + 1)..] : null;
        return rid is not null && DomainRelative.TryGetValue(rid, out name) ? name : null;
    }
}

/// <summary>A group in an account's token.</summary>
/// <param name="Sid">Its SID.</param>
/// <param name="Account">Its name as <c>DOMAIN\name</c>.</param>
internal sealed record DirectoryGroup(string Sid, string Account);
