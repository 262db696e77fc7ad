using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MdiFlow.Lab.Servers.Graph;

/// <summary>
/// Finds the documented route for a request under <c>/v1.0</c> and answers Graph's errors on the way: 400 for another
/// version or an unknown segment, 405 for another method; then the caller's check (throttling, permissions), then the route.
/// </summary>
internal static class GraphRouting
{
    /// <param name="request">The request, already authenticated by the caller.</param>
    /// <param name="address">The server's root, for <c>@odata.nextLink</c>.</param>
    /// <param name="routes">The routes the server serves.</param>
    /// <param name="body">The request's JSON body, if any.</param>
    /// <param name="check">An answer that stops the request at the matched route (429, 403), or null to go on.</param>
    public static GraphResponse Answer(HttpRequest request, Uri address, IReadOnlyList<GraphRoute> routes, JsonNode? body, Func<GraphRoute, GraphResponse?> check)
    {
        var segments = (request.Path.Value ?? "").Trim('/').Split('/');
        if (segments[0] != "v1.0")
        {
            return GraphResponse.Error(400, "BadRequest", $"Invalid version: {segments[0]}");
        }

        var path = segments[1..];
        var matches = routes.Where(r => r.TryMatch(path, out _)).ToList();
        if (matches.Count == 0)
        {
            var known = routes.Max(r => r.MatchedLength(path));
            return GraphResponse.Error(400, "BadRequest", $"Resource not found for the segment '{(known < path.Length ? path[known] : path[^1])}'.");
        }

        var route = matches.FirstOrDefault(r => r.Method == request.Method);
        if (route is null)
        {
            return GraphResponse.Error(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
        }

        if (check(route) is { } stopped)
        {
            return stopped;
        }

        route.TryMatch(path, out var values);
        var query = request.Query.ToDictionary(q => q.Key.Trim(), q => q.Value.ToString(), StringComparer.Ordinal);
        return route.Handle(new GraphRequest(values, query, request.Path.Value!, address, body));
    }
}
