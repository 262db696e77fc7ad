using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Lab.Profiles;
using MdiFlow.Lab.Servers;
using MdiFlow.Lab.Servers.Graph;
using Microsoft.AspNetCore.Http;

namespace MdiFlow.Lab.Identity;

/// <summary>
/// A loopback Microsoft Graph for the lab issuer's people: <c>GET /v1.0/users/{id | userPrincipalName}/transitiveMemberOf</c>
/// (and its <c>/microsoft.graph.group</c> cast) as the v1.0 reference documents it, for applications that resolve a
/// sign-in's groups when its token carries the group overage form. It takes only app-only tokens the issuer signed for
/// Graph (401 otherwise), needs one of the documented application permissions in their <c>roles</c> (403 otherwise;
/// with only <c>User.Read.All</c> the groups come with their id alone, as Graph's limited information for inaccessible
/// objects), pages with <c>@odata.nextLink</c>, honours <c>$select</c> and <c>$top</c>, answers 429 with
/// <c>Retry-After</c> when told to throttle, and 401 for tokens it was told to treat as revoked.
/// </summary>
/// <example><code>
/// await using var issuer = await LabIdentityProvider.StartAsync(new LabIdentityOptions());
/// await using var graph = await LabDirectoryGraph.StartAsync(issuer);
/// issuer.Register(new LabClient { ClientId = "mdiflow-web", ClientSecret = "lab-secret", RedirectUris = [...], ApplicationPermissions = ["GroupMember.Read.All"] });
/// // the page: Graph base URL graph.BaseUrl, app-only tokens from the issuer's token endpoint with scope https://graph.microsoft.com/.default
/// </code></example>
public sealed class LabDirectoryGraph : IAsyncDisposable
{
    /// <summary>The application permissions, any one of which lets an app list another user's memberships (least privileged first).</summary>
    public static IReadOnlyList<string> ReadMemberships { get; } = ["User.Read.All", "GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"];

    // Without one of these, groups in a directoryObject collection come back with their id only.
    private static readonly string[] ReadGroups = ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"];

    private readonly LabIdentityProvider _issuer;
    private readonly LabDirectoryGraphOptions _options;
    private readonly LabRequestLog _log;
    private readonly IReadOnlyList<GraphRoute> _routes;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _seenTokens = new(StringComparer.Ordinal);
    private LoopbackWebHost? _host;
    private int _throttled;
    private TimeSpan _retryAfter;

    private LabDirectoryGraph(LabIdentityProvider issuer, LabDirectoryGraphOptions options)
    {
        _issuer = issuer;
        _options = options;
        _log = new LabRequestLog(issuer.TimeProvider);
        _routes =
        [
            new("GET", "users/{id}/transitiveMemberOf", ReadMemberships, r => Memberships(r, cast: false)),
            new("GET", "users/{id}/transitiveMemberOf/microsoft.graph.group", ReadMemberships, r => Memberships(r, cast: true)),
        ];
    }

    /// <summary>Graph's base URL to configure in place of <c>https://graph.microsoft.com/v1.0/</c>: <c>http://127.0.0.1:PORT/v1.0/</c>.</summary>
    public Uri BaseUrl => new(Root, "v1.0/");

    /// <summary>Every request received, in order, with the status answered.</summary>
    public IReadOnlyList<LabRequest> Requests => _log.Snapshot();

    private Uri Root => _host?.Address ?? throw new InvalidOperationException("The lab's directory Graph is not started.");

    /// <summary>Starts the stand-in for <paramref name="issuer"/>'s people, accepting its app-only tokens.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="LabDirectoryGraphOptions.MaxPageSize"/> is not between 1 and 999.</exception>
    public static async Task<LabDirectoryGraph> StartAsync(LabIdentityProvider issuer, LabDirectoryGraphOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        options ??= new LabDirectoryGraphOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxPageSize, 999);
        var graph = new LabDirectoryGraph(issuer, options);
        graph._host = await LoopbackWebHost.StartAsync(graph.HandleAsync, 0, cancellationToken).ConfigureAwait(false);
        return graph;
    }

    /// <summary>The object id the lab gives the group with this display name (stable, so policies can name it).</summary>
    public static Guid GroupId(string displayName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("mdiflow-lab-group:" + displayName.ToLowerInvariant()))[..16]);
    }

    /// <summary>The next <paramref name="requests"/> authenticated requests are throttled: 429 with <c>Retry-After</c>.</summary>
    public void Throttle(int requests, TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        lock (_routes)
        {
            _retryAfter = retryAfter;
            _throttled = requests;
        }
    }

    /// <summary>
    /// Every app-only token the stand-in has seen is refused from now on (401), as when a token is revoked or the
    /// application's credentials change: callers must get a new one from the issuer.
    /// </summary>
    public void RevokeTokensSeen()
    {
        foreach (var token in _seenTokens.Keys)
        {
            _seenTokens[token] = true;
        }
    }

    /// <summary>Stops the stand-in.</summary>
    public ValueTask DisposeAsync() => _host?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task HandleAsync(HttpContext http)
    {
        var response = Answer(http.Request);
        _log.Add(LabServer.Graph, http.Request.Method, http.Request.Path + http.Request.QueryString, viaProxy: false, response.Status);
        await GraphAnswer.WriteAsync(http, response, _issuer.TimeProvider).ConfigureAwait(false);
    }

    private GraphResponse Answer(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.Length <= 7)
        {
            return GraphResponse.Error(401, "InvalidAuthenticationToken", "Access token is empty.");
        }

        var claims = _issuer.Validate(authorization[7..].Trim(), TokenFactory.GraphResource, out var problem);
        if (claims is null)
        {
            return GraphResponse.Error(401, "InvalidAuthenticationToken", problem);
        }

        if (_seenTokens.GetOrAdd(claims["uti"]?.GetValue<string>() ?? "", false))
        {
            return GraphResponse.Error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
        }

        var roles = claims["roles"] is JsonArray granted ? granted.Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase) : [];
        var answer = GraphRouting.Answer(request, Root, _routes, body: null, route =>
            TakeThrottled() ? GraphResponse.Throttled(_retryAfter) : route.Permissions.Any(roles.Contains) ? null : GraphResponse.Denied());
        return answer.Status == 200 && !ReadGroups.Any(roles.Contains) ? Limited(answer) : answer;
    }

    private bool TakeThrottled()
    {
        lock (_routes)
        {
            if (_throttled == 0)
            {
                return false;
            }

            _throttled--;
            return true;
        }
    }

    private GraphResponse Memberships(GraphRequest request, bool cast)
    {
        var id = request.Values["id"];
        var person = _issuer.People.FirstOrDefault(p => Guid.TryParse(id, out var oid) ? p.ObjectId == oid : string.Equals(p.UserPrincipalName, id, StringComparison.OrdinalIgnoreCase));
        if (person is null)
        {
            return GraphResponse.NotFound(id);
        }

        var select = request.Query.TryGetValue("$select", out var list) ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
        var groups = person.Groups.Select(g => GraphEntities.DirectoryObject(new LabDirectoryObject { Kind = "group", Id = GroupId(g), DisplayName = g, OnPremisesSamAccountName = g }))
            .Concat(person.CloudGroups.Select(g => GraphEntities.DirectoryObject(new LabDirectoryObject { Kind = "group", Id = GroupId("cloud:" + g), DisplayName = g })))
            .ToList();
        foreach (var group in groups)
        {
            if (cast)
            {
                group.Remove("@odata.type"); // a cast collection is all of one type
            }

            if (select.FirstOrDefault(p => !group.ContainsKey(p)) is { } unknown)
            {
                return GraphResponse.Error(400, "Request_BadRequest", $"Could not find a property named '{unknown}' on type 'microsoft.graph.{(cast ? "group" : "directoryObject")}'.");
            }

            foreach (var property in group.Select(p => p.Key).Where(k => select.Length > 0 && k != "@odata.type" && !select.Contains(k)).ToList())
            {
                group.Remove(property);
            }
        }

        var context = (cast ? "groups" : "directoryObjects") + (select.Length > 0 ? $"({string.Join(',', select)})" : "");
        var pageSize = request.Query.ContainsKey("$top") ? _options.MaxPageSize : Math.Min(100, _options.MaxPageSize);
        return GraphPaging.Page(request, context, groups, pageSize);
    }

    /// <summary>Graph's limited information for objects the app may not read: each group keeps its type and id, the rest is null.</summary>
    private static GraphResponse Limited(GraphResponse answer)
    {
        foreach (var item in answer.Body!["value"]!.AsArray().OfType<JsonObject>())
        {
            foreach (var property in item.Select(p => p.Key).Where(k => k is not ("id" or "@odata.type")).ToList())
            {
                item[property] = null;
            }
        }

        return answer;
    }
}

/// <summary>How the lab's directory Graph pages.</summary>
public sealed class LabDirectoryGraphOptions
{
    /// <summary>
    /// The most items on one page whatever <c>$top</c> asks (1 to 999, Graph's maximum; 999 by default). Without
    /// <c>$top</c> a page holds 100, Graph's default. Graph may answer fewer than asked and page with
    /// <c>@odata.nextLink</c>; a lower value makes the lab do so.
    /// </summary>
    public int MaxPageSize { get; init; } = 999;
}
