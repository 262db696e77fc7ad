using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using MdiFlow.Lab.Profiles;
using Microsoft.AspNetCore.Http;

namespace MdiFlow.Lab.Servers.Graph;

/// <summary>
/// The Microsoft Graph stand-in: the documented routes under <c>/v1.0</c>, bearer-token checks (401),
/// permission checks (403 that names nothing, as Graph's does), throttling (429 with <c>Retry-After</c>),
/// Graph's error bodies with <c>innerError</c>, and request ids.
/// </summary>
internal sealed class GraphServer : IAsyncDisposable
{
    private const string JsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    private readonly LabProfile _profile;
    private readonly GraphApi _api;
    private readonly LabRequestLog _log;
    private readonly ProxyConnectionRegistry _proxy;
    private readonly TimeProvider _time;
    private readonly string _token;
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private LoopbackWebHost? _host;

    private GraphServer(LabProfile profile, LabState state, LabRequestLog log, ProxyConnectionRegistry proxy, TimeProvider time, string token, Func<Uri> packageUrl)
    {
        _profile = profile;
        _api = new GraphApi(profile, state, packageUrl, time);
        _log = log;
        _proxy = proxy;
        _time = time;
        _token = token;
    }

    public Uri Address => _host!.Address;

    public static async Task<GraphServer> StartAsync(LabProfile profile, LabState state, LabRequestLog log, ProxyConnectionRegistry proxy, TimeProvider time, string token, Func<Uri> packageUrl, int preferredPort, CancellationToken cancellationToken)
    {
        var server = new GraphServer(profile, state, log, proxy, time, token, packageUrl);
        server._host = await LoopbackWebHost.StartAsync(server.HandleAsync, preferredPort, cancellationToken).ConfigureAwait(false);
        return server;
    }

    public ValueTask DisposeAsync() => _host?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var (body, unreadable) = await ReadBodyAsync(request, http.RequestAborted).ConfigureAwait(false);
        var response = unreadable ? GraphResponse.Error(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.") : Answer(request, body);
        _log.Add(LabServer.Graph, request.Method, request.Path + request.QueryString, _proxy.IsFromProxy(http.Connection.RemotePort), response.Status);

        var requestId = Guid.NewGuid().ToString("D");
        var clientRequestId = request.Headers["client-request-id"] is [{ Length: > 0 } sent] ? sent : Guid.NewGuid().ToString("D");
        if (response.Body?["error"] is JsonObject error)
        {
            var inner = error["innerError"] as JsonObject ?? [];
            inner["date"] = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
            inner["request-id"] = requestId;
            inner["client-request-id"] = clientRequestId;
            error["innerError"] = inner;
        }

        http.Response.StatusCode = response.Status;
        http.Response.Headers["request-id"] = requestId;
        http.Response.Headers["client-request-id"] = clientRequestId;
        if (response.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = retryAfter;
        }

        if (response.Status == 401)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
        }

        if (response.Body is null)
        {
            http.Response.ContentLength = 0;
            return;
        }

        http.Response.ContentType = response.Status == 200 ? JsonContentType : "application/json";
        await http.Response.WriteAsync(response.Body.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The JSON body of a request that has one; unreadable when it is there but is not JSON.</summary>
    private static async Task<(JsonNode? Body, bool Unreadable)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is null or 0 && !request.Headers.TransferEncoding.Any())
        {
            return (null, false);
        }

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, false);
        }

        try
        {
            return (JsonNode.Parse(text), false);
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, true);
        }
    }

    private GraphResponse Answer(HttpRequest request, JsonNode? body)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return GraphResponse.Error(401, "InvalidAuthenticationToken", "Access token is empty.");
        }

        if (authorization != "Bearer " + _token)
        {
            return GraphResponse.Error(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
        }

        var segments = (request.Path.Value ?? "").Trim('/').Split('/');
        if (segments[0] != "v1.0")
        {
            return GraphResponse.Error(400, "BadRequest", $"Invalid version: {segments[0]}");
        }

        var path = segments[1..];
        var matches = _api.Routes.Where(r => r.TryMatch(path, out _)).ToList();
        if (matches.Count == 0)
        {
            var known = _api.Routes.Max(r => r.MatchedLength(path));
            return GraphResponse.Error(400, "BadRequest", $"Resource not found for the segment '{(known < path.Length ? path[known] : path[^1])}'.");
        }

        var route = matches.FirstOrDefault(r => r.Method == request.Method);
        if (route is null)
        {
            return GraphResponse.Error(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
        }

        if (_calls.AddOrUpdate(route.Template, 1, (_, n) => n + 1) <= _profile.Connectivity.GraphThrottledRequests)
        {
            return GraphResponse.Error(429, "TooManyRequests", "Please retry again later.", new JsonObject
            {
                ["code"] = "429",
                ["message"] = "Please retry after",
                ["status"] = "429",
            }) with { RetryAfter = "1" };
        }

        if (!route.Permissions.Any(p => _profile.Tenant.GrantedPermissions.Contains(p, StringComparer.OrdinalIgnoreCase)))
        {
            return GraphResponse.Denied();
        }

        route.TryMatch(path, out var values);
        var query = request.Query.ToDictionary(q => q.Key.Trim(), q => q.Value.ToString(), StringComparer.Ordinal);
        return route.Handle(new GraphRequest(values, query, request.Path.Value!, Address, body));
    }
}
