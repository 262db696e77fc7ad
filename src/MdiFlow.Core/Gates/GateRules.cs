using MdiFlow.Policy;

namespace MdiFlow.Gates;

/// <summary>Who a <c>user:</c>/<c>group:</c> list admits.</summary>
internal static class GateRules
{
    public static IEnumerable<string> CheckPrincipals(IReadOnlyList<string> principals, string name, bool required)
    {
        if (required && principals.Count == 0)
        {
            yield return $"{name} must list at least one 'user:NAME' or 'group:NAME'.";
        }

        foreach (var p in principals)
        {
            if (!(p.StartsWith("user:", StringComparison.Ordinal) || p.StartsWith("group:", StringComparison.Ordinal)) || p.IndexOf(':', StringComparison.Ordinal) == p.Length - 1)
            {
                yield return $"{name} entry '{p}' must be 'user:NAME' or 'group:NAME'.";
            }
        }
    }

    /// <summary>Whether <paramref name="actor"/> is one of <paramref name="principals"/> (by name, or as a group member).</summary>
    public static bool Admits(IReadOnlyList<string> principals, string actor, OrganisationPolicy policy) =>
        principals.Any(p => p.StartsWith("user:", StringComparison.Ordinal)
            ? SameUser(p[5..], actor)
            : p.StartsWith("group:", StringComparison.Ordinal) && IsMember(policy, actor, p[6..]));

    public static bool IsMember(OrganisationPolicy policy, string actor, string group) =>
        policy.IsMember(actor, group) || policy.IsMember(AccountOf(actor), group);

    /// <summary>Names match ignoring case; <c>CONTOSO\alice</c> matches <c>alice</c>.</summary>
    public static bool SameUser(string a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase) || string.Equals(AccountOf(a), AccountOf(b), StringComparison.OrdinalIgnoreCase);

    private static string AccountOf(string name) => name[(name.LastIndexOf('\\') + 1)..];
}
