using System.Security.Claims;
using MdiFlow.Journal;

namespace MdiFlow.Web.Security;

/// <summary>Turns a signed-in person's token claims into the actor the engine records.</summary>
internal static class WebIdentity
{
    /// <summary>The claims that say how the identity was established, recorded with every decision.</summary>
    private static readonly string[] Recorded = ["tid", "oid", "upn", "auth_time"];

    /// <summary>
    /// <c>new Actor(name, "oidc") { Claims = { iss, tid, oid, upn, auth_time, amr }, Groups = the token's groups }</c>;
    /// <c>amr</c> values are joined with spaces (<c>pwd mfa</c>).
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The token has no name claim (the configured one, else <c>upn</c>, else <c>oid</c>).</exception>
    public static Actor ActorOf(ClaimsPrincipal user, MdiFlowWebOptions options)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(options);
        var name = user.FindFirst(options.NameClaim) ?? user.FindFirst("upn") ?? user.FindFirst("oid")
            ?? throw new UnauthorizedAccessException($"The sign-in carries no '{options.NameClaim}', 'upn' or 'oid' claim, so it cannot name who decides.");
        var claims = new Dictionary<string, string>(StringComparer.Ordinal) { ["iss"] = name.Issuer };
        foreach (var type in Recorded)
        {
            if (user.FindFirst(type)?.Value is { Length: > 0 } value)
            {
                claims[type] = value;
            }
        }

        var methods = user.FindAll("amr").Select(c => c.Value).ToList();
        if (methods.Count > 0)
        {
            claims["amr"] = string.Join(' ', methods);
        }

        return new Actor(name.Value, options.RehearsalSignIn ? ActorSources.Asserted : ActorSources.OpenIdConnect)
        {
            Claims = claims,
            Groups = [.. user.FindAll(options.GroupsClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal)],
        };
    }
}
