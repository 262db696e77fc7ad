namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>
/// Reads <c>dsacls "CN=Deleted Objects,DC=..."</c> the way Test-MDIDSA judges it: whether any of the
/// account's identities (itself, its groups, Everyone, Authenticated Users) is allowed to list the
/// container and read its objects' properties, with no deny in the way.
/// </summary>
internal static class DsaclsParser
{
    private static readonly string[] ReadRights = ["GENERIC READ", "GENERIC ALL", "FULL CONTROL"];

    /// <summary>Whether the container's own access list (not what it passes to subobjects) grants read access to one of <paramref name="principals"/>.</summary>
    /// <param name="output">dsacls's output.</param>
    /// <param name="principals">Names as dsacls prints them, for example <c>CONTOSO\mdiSvc01Group</c>; compared case-insensitively.</param>
    /// <exception cref="FormatException">The output has no access list.</exception>
    public static bool GrantsRead(string output, IEnumerable<string> principals)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(principals);
        var names = new HashSet<string>(principals, StringComparer.OrdinalIgnoreCase);
        var entries = AccessEntries(output);
        var relevant = entries.Where(e => names.Contains(e.Principal)).ToList();
        if (relevant.Any(e => !e.Allow && (e.Has(ReadRights) || e.Has("LIST CONTENTS") || e.Has("READ PROPERTY"))))
        {
            return false;
        }

        var allowed = relevant.Where(e => e.Allow).ToList();
        return allowed.Any(e => e.Has(ReadRights))
            || (allowed.Any(e => e.Has("LIST CONTENTS")) && allowed.Any(e => e.Has("READ PROPERTY")));
    }

    private static List<AccessEntry> AccessEntries(string output)
    {
        var lines = output.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd().EndsWith("Access list:", StringComparison.OrdinalIgnoreCase));
        if (start < 0)
        {
            throw new FormatException($"dsacls printed no access list: {output.Trim()}");
        }

        var entries = new List<AccessEntry>();
        AccessEntry? current = null;
        foreach (var line in lines.Skip(start + 1))
        {
            // What follows applies to objects below the container, not to reading the container itself.
            if (line.StartsWith("Permissions inherited to subobjects", StringComparison.OrdinalIgnoreCase) || line.StartsWith("The command completed", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            if (line.StartsWith("Allow ", StringComparison.Ordinal) || line.StartsWith("Deny ", StringComparison.Ordinal))
            {
                var allow = line.StartsWith("Allow ", StringComparison.Ordinal);
                var rest = line[(allow ? 6 : 5)..];

                // The principal and the first right are separated by a run of two or more spaces.
                var gap = rest.IndexOf("  ", StringComparison.Ordinal);
                var principal = (gap < 0 ? rest : rest[..gap]).Trim();
                current = new AccessEntry(allow, principal);
                current.Rights.Add(gap < 0 ? "" : rest[gap..].Trim());
                entries.Add(current);
            }
            else if (current is not null && line.Length > 0 && char.IsWhiteSpace(line[0]) && line.Trim().Length > 0)
            {
                current.Rights.Add(line.Trim());
            }
            else
            {
                current = null;
            }
        }

        return entries;
    }

    private sealed record AccessEntry(bool Allow, string Principal)
    {
        public List<string> Rights { get; } = [];

        public bool Has(string right) => Rights.Any(r => r.StartsWith(right, StringComparison.OrdinalIgnoreCase));

        public bool Has(string[] rights) => rights.Any(Has);
    }
}
