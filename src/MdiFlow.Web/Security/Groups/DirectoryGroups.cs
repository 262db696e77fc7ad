using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MdiFlow.Web.Security.Groups;

/// <summary>
/// A person's groups from Microsoft Graph (ids and display names), for sign-ins whose token had too many to carry them.
/// Kept in memory for <see cref="GraphGroupsOptions.CacheFor"/>, never stored. When Graph cannot say, the person is
/// refused with why and the fix (<see cref="GroupsUnresolvedException"/>), never treated as having no groups.
/// </summary>
internal sealed partial class DirectoryGroups(AppOnlyToken tokens, GraphMemberships graph, IOptions<MdiFlowWebOptions> options, TimeProvider time, ILogger<DirectoryGroups> logger)
{
    // Enough for any change board; past it the expired entries go, and if that is not enough, all of them.
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, (IReadOnlyList<string> Groups, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The groups of the user with object id <paramref name="objectId"/>.</summary>
    /// <exception cref="GroupsUnresolvedException">The page could not get a token, or Graph could not be reached, refused or throttled.</exception>
    public async Task<IReadOnlyList<string>> OfAsync(string objectId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectId);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(objectId, out var cached) && now < cached.Until)
        {
            return cached.Groups;
        }

        var token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        var listing = await graph.ListAsync(objectId, token, cancellationToken).ConfigureAwait(false);
        if (listing.Status == 401)
        {
            // The token may have been revoked or rotated early: one fresh token, then Graph's answer stands.
            tokens.Forget(token);
            listing = await graph.ListAsync(objectId, await tokens.GetAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        if (!listing.Succeeded)
        {
            var refusal = Refusal(listing, objectId);
            NotResolved(logger, objectId, listing.Status, listing.Error ?? "");
            throw refusal;
        }

        Remember(objectId, listing.Groups!, now);
        Resolved(logger, objectId, listing.Groups!.Count);
        return listing.Groups!;
    }

    private void Remember(string objectId, IReadOnlyList<string> groups, DateTimeOffset now)
    {
        var cacheFor = options.Value.Graph.CacheFor;
        if (cacheFor <= TimeSpan.Zero)
        {
            return;
        }

        if (_cache.Count >= MaxCached)
        {
            foreach (var expired in _cache.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
            {
                _cache.TryRemove(expired, out _);
            }

            if (_cache.Count >= MaxCached)
            {
                _cache.Clear();
            }
        }

        _cache[objectId] = (groups, now + cacheFor);
    }

    private GroupsUnresolvedException Refusal(GraphListing listing, string objectId)
    {
        var web = options.Value;
        var graphUrl = web.Graph.BaseUrl.ToString();
        var said = $"{listing.Status} {listing.Error}";
        return listing.Status switch
        {
            0 => new($"Microsoft Graph could not be reached at {graphUrl} ({listing.Error})",
                "Check that the page can reach Graph (or the graph.baseUrl setting); try again."),
            401 => new($"Microsoft Graph did not accept the page's app-only token ({said})",
                $"Check that the Graph scope ({web.Graph.Scope}) is the one for {graphUrl} and that the app registration ({web.ClientId}) is in the tenant Graph serves."),
            403 => new($"Microsoft Graph refused to list them ({said})",
                $"Grant the page's app registration (client id {web.ClientId}) the Microsoft Graph application permission GroupMember.Read.All, with admin consent for the tenant."),
            404 => new($"Microsoft Graph has no user with the sign-in's object id {objectId} ({said})",
                "Check that the page's issuer and Graph serve the same tenant."),
            429 => new($"Microsoft Graph is throttling the page ({said}{(listing.RetryAfter is { } wait ? $"; it asks to wait {Math.Ceiling(wait.TotalSeconds):0} s" : "")})",
                listing.RetryAfter is { } again ? $"Try again in {Math.Ceiling(again.TotalSeconds):0} seconds." : "Try again in a minute.", listing.RetryAfter ?? TimeSpan.FromSeconds(60)),
            200 => new($"Microsoft Graph's answer could not be used ({listing.Error})", $"Check that graph.baseUrl ({graphUrl}) is Microsoft Graph v1.0."),
            _ => new($"Microsoft Graph answered {said}", "Try again; if it persists, check Graph's service health."),
        };
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "The groups of user {ObjectId} could not be read from Graph: {Status} {Error}")]
    private static partial void NotResolved(ILogger logger, string objectId, int status, string error);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "Read {Count} group ids and names of user {ObjectId} from Graph")]
    private static partial void Resolved(ILogger logger, string objectId, int count);
}
