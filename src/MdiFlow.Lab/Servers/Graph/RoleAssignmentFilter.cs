using System.Text.RegularExpressions;

namespace MdiFlow.Lab.Servers.Graph;

/// <summary>
/// The <c>$filter</c> subset Graph documents for directory role assignments: equality on
/// <c>principalId</c>, <c>roleDefinitionId</c> or <c>directoryScopeId</c>, joined with <c>and</c>.
/// </summary>
internal static partial class RoleAssignmentFilter
{
    private static readonly string[] Properties = ["principalId", "roleDefinitionId", "directoryScopeId"];

    /// <summary>Parses the filter; on failure <paramref name="error"/> holds Graph's message.</summary>
    public static bool TryParse(string filter, out IReadOnlyList<KeyValuePair<string, string>> clauses, out string error)
    {
        var parsed = new List<KeyValuePair<string, string>>();
        clauses = parsed;
        error = "";
        foreach (var clause in AndSeparator().Split(filter.Trim()))
        {
            var match = Equality().Match(clause);
            if (!match.Success)
            {
                error = $"Invalid filter clause: Syntax error in '{clause.Trim()}'; the supported form is property eq 'value'.";
                return false;
            }

            var property = match.Groups["property"].Value;
            if (!Properties.Contains(property))
            {
                error = $"Invalid filter clause: Could not find a property named '{property}' on type 'microsoft.graph.unifiedRoleAssignment'.";
                return false;
            }

            parsed.Add(new(property, match.Groups["value"].Value));
        }

        return true;
    }

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndSeparator();

    [GeneratedRegex(@"^\s*(?<property>[A-Za-z]+)\s+eq\s+'(?<value>[^']*)'\s*$")]
    private static partial Regex Equality();
}
