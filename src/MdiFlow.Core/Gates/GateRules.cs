using MdiFlow.Journal;
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

    /// <summary>Whether <paramref name="actor"/> is one of <paramref name="principals"/> (by name, or as a group member; <c>*</c> admits anyone).</summary>
    public static bool Admits(IReadOnlyList<string> principals, Actor actor, OrganisationPolicy policy) =>
        principals.Any(p => p == "*"
            || (p.StartsWith("user:", StringComparison.Ordinal)
                ? SameUser(p[5..], actor.Name)
                : p.StartsWith("group:", StringComparison.Ordinal) && IsMember(policy, actor, p[6..])));

    /// <summary>Whether <paramref name="name"/> is one of <paramref name="principals"/>, counting only the policy's groups.</summary>
    public static bool Admits(IReadOnlyList<string> principals, string name, OrganisationPolicy policy) =>
        Admits(principals, new Actor(name, ActorSources.OperatingSystem), policy);

    /// <summary>A member by the policy's groups, or by the groups the identity provider vouched for.</summary>
    public static bool IsMember(OrganisationPolicy policy, Actor actor, string group) =>
        policy.IsMember(actor.Name, group)
        || policy.IsMember(AccountOf(actor.Name), group)
        || actor.Groups.Contains(group, StringComparer.OrdinalIgnoreCase);

    /// <summary>Names match ignoring case; <c>CONTOSO\alice</c> matches <c>alice</c>.</summary>
    public static bool SameUser(string a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase) || string.Equals(AccountOf(a), AccountOf(b), StringComparison.OrdinalIgnoreCase);

    /// <summary>Everyone the principals can name from the policy's groups (users listed and group members), or null when a group is not the policy's.</summary>
    public static HashSet<string>? Resolvable(IReadOnlyList<string> principals, OrganisationPolicy policy)
    {
        var people = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in principals)
        {
            if (p.StartsWith("user:", StringComparison.Ordinal))
            {
                people.Add(AccountOf(p[5..]));
            }
            else if (p.StartsWith("group:", StringComparison.Ordinal) && policy.Groups.TryGetValue(p[6..], out var members))
            {
                people.UnionWith(members.Select(AccountOf));
            }
            else
            {
                return null; // an identity provider's group: its members are known only when they sign in
            }
        }

        return people;
    }

    public static string AccountOf(string name) => name[(name.LastIndexOf('\\') + 1)..];
}
