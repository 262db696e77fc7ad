using System.Security.Claims;
using System.Text.Json;

namespace MdiFlow.Web.Security.Groups;

/// <summary>
/// Whether a token says its person's groups did not fit: Entra ID then leaves out the <c>groups</c> claim and adds
/// <c>_claim_names: {"groups": "src1"}</c> with <c>_claim_sources</c> (a JWT past 200 groups), or <c>hasgroups: true</c>
/// (implicit-flow tokens). A token with neither and no groups claim means the person has no groups.
/// </summary>
internal static class GroupOverage
{
    public static bool Applies(ClaimsPrincipal user, string groupsClaim)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.HasClaim(c => c.Type == groupsClaim))
        {
            return false;
        }

        if (user.FindFirst("hasgroups") is { } hasGroups && string.Equals(hasGroups.Value, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return user.FindAll("_claim_names").Any(c => NamesGroups(c.Value));
    }

    private static bool NamesGroups(string json)
    {
        try
        {
            using var names = JsonDocument.Parse(json);
            return names.RootElement.ValueKind == JsonValueKind.Object && names.RootElement.TryGetProperty("groups", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
