namespace MdiFlow.Plugins.DefenderForIdentity.Verification;

/// <summary>Compares the built-in service accounts however sc.exe or a host profile spells them.</summary>
internal static class ServiceAccountNames
{
    /// <summary>Whether two spellings name the same account: <c>NT AUTHORITY\LocalService</c> is <c>LocalService</c>, <c>NT AUTHORITY\SYSTEM</c> is <c>LocalSystem</c>.</summary>
    public static bool Same(string? left, string? right) =>
        string.Equals(Canonical(left), Canonical(right), StringComparison.OrdinalIgnoreCase);

    private static string Canonical(string? account)
    {
        var name = (account ?? "").Trim();
        var slash = name.LastIndexOf('\\');
        var domain = slash < 0 ? "" : name[..slash];
        if (domain is not ("" or ".") && !domain.Equals("NT AUTHORITY", StringComparison.OrdinalIgnoreCase))
        {
            return name;
        }

        // "LOCAL SERVICE" and "LocalService" are one account; "SYSTEM" is LocalSystem.
        var user = (slash < 0 ? name : name[(slash + 1)..]).Replace(" ", "", StringComparison.Ordinal);
        return user.Equals("SYSTEM", StringComparison.OrdinalIgnoreCase) ? "LocalSystem" : user;
    }
}
