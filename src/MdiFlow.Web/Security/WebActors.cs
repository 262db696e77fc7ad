using System.Security.Claims;
using MdiFlow.Journal;
using MdiFlow.Web.Security.Groups;
using Microsoft.Extensions.Options;

namespace MdiFlow.Web.Security;

/// <summary>
/// The actor a request decides as: <see cref="WebIdentity.ActorOf"/> from the token's claims, and, when the token says
/// its groups did not fit (group overage), the person's groups from Microsoft Graph. A token with neither groups nor
/// overage has no groups, and Graph is not asked.
/// </summary>
internal sealed class WebActors(IOptions<MdiFlowWebOptions> options, DirectoryGroups directory)
{
    /// <exception cref="UnauthorizedAccessException">The token names nobody.</exception>
    /// <exception cref="GroupsUnresolvedException">The token overflowed and Graph could not say which groups the person is in.</exception>
    public async Task<Actor> OfAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var web = options.Value;
        var actor = WebIdentity.ActorOf(user, web);
        if (!GroupOverage.Applies(user, web.GroupsClaim))
        {
            return actor;
        }

        var objectId = user.FindFirst("oid")?.Value;
        if (string.IsNullOrWhiteSpace(objectId))
        {
            throw new GroupsUnresolvedException("the token carries no 'oid' claim to look them up by", "Sign in with an Entra ID work or school account (its tokens name the user's object id).");
        }

        var groups = await directory.OfAsync(objectId, cancellationToken).ConfigureAwait(false);
        return actor with { Groups = [.. actor.Groups.Concat(groups).Distinct(StringComparer.OrdinalIgnoreCase)] };
    }
}
