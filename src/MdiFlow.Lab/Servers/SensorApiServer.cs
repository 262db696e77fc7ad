using MdiFlow.Lab.Profiles;
using Microsoft.AspNetCore.Http;

namespace MdiFlow.Lab.Servers;

/// <summary>
/// The sensor API stand-in: <c>GET /{workspace}/tri/sensor/api/ping</c> answers 200 "Ok" (or 503 "The service is
/// unavailable"). As the profile says, it resets direct connections when only the proxy may pass, resets every
/// connection when the API is blocked, and resets the first few connections of a flaky network.
/// </summary>
internal sealed class SensorApiServer : IAsyncDisposable
{
    private readonly LabProfile _profile;
    private readonly LabRequestLog _log;
    private readonly ProxyConnectionRegistry _proxy;
    private int _connections;
    private LoopbackWebHost? _host;

    private SensorApiServer(LabProfile profile, LabRequestLog log, ProxyConnectionRegistry proxy)
    {
        _profile = profile;
        _log = log;
        _proxy = proxy;
    }

    public Uri Address => _host!.Address;

    /// <summary>The URL template for <c>DefenderForIdentityOptions.SensorApiUrlTemplate</c>.</summary>
    public string UrlTemplate => Address + "{workspace}/tri/sensor/api/ping";

    public static async Task<SensorApiServer> StartAsync(LabProfile profile, LabRequestLog log, ProxyConnectionRegistry proxy, int preferredPort, CancellationToken cancellationToken)
    {
        var server = new SensorApiServer(profile, log, proxy);
        server._host = await LoopbackWebHost.StartAsync(server.HandleAsync, preferredPort, cancellationToken).ConfigureAwait(false);
        return server;
    }

    public ValueTask DisposeAsync() => _host?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var viaProxy = _proxy.IsFromProxy(http.Connection.RemotePort);
        var target = request.Path + request.QueryString;
        var connectivity = _profile.Connectivity;
        var refused = connectivity.SensorApi == LabSensorApiRoute.Blocked
            || (connectivity.SensorApi == LabSensorApiRoute.ProxyOnly && !viaProxy)
            || Interlocked.Increment(ref _connections) <= connectivity.SensorApiDroppedConnections;
        if (refused)
        {
            _log.Add(LabServer.SensorApi, request.Method, target, viaProxy, 0);
            http.Abort();
            return;
        }

        var segments = (request.Path.Value ?? "").Trim('/').Split('/');
        var (status, body) = segments is [var workspace, "tri", "sensor", "api", "ping"] && string.Equals(workspace, _profile.Tenant.Workspace, StringComparison.OrdinalIgnoreCase)
            ? request.Method == HttpMethods.Get
                ? connectivity.SensorApiAnswer == LabSensorApiAnswer.Ok ? (200, "Ok") : (503, "The service is unavailable")
                : (405, "")
            : (404, "");
        _log.Add(LabServer.SensorApi, request.Method, target, viaProxy, status);
        http.Response.StatusCode = status;
        if (body.Length > 0)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            http.Response.ContentType = "text/plain; charset=utf-8";
            http.Response.ContentLength = bytes.Length;
            await http.Response.Body.WriteAsync(bytes, http.RequestAborted).ConfigureAwait(false);
        }
    }
}
