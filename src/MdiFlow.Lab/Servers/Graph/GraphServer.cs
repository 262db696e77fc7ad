using System.Collections.Concurrent;
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
        await GraphAnswer.WriteAsync(http, response, _time).ConfigureAwait(false);
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

        return GraphRouting.Answer(request, Address, _api.Routes, body, Check);
    }

    /// <summary>The profile's throttling (the first N calls of each route), then the tenant's granted permissions.</summary>
    private GraphResponse? Check(GraphRoute route)
    {
        if (_calls.AddOrUpdate(route.Template, 1, (_, n) => n + 1) <= _profile.Connectivity.GraphThrottledRequests)
        {
            return GraphResponse.Throttled(TimeSpan.FromSeconds(1));
        }

        return route.Permissions.Any(p => _profile.Tenant.GrantedPermissions.Contains(p, StringComparer.OrdinalIgnoreCase)) ? null : GraphResponse.Denied();
    }
}
