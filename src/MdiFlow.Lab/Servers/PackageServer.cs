using MdiFlow.Lab.Packages;
using MdiFlow.Lab.Profiles;
using Microsoft.AspNetCore.Http;

namespace MdiFlow.Lab.Servers;

/// <summary>
/// The sensor package host (<c>sensorpackage-prd.mdi.securitycenter.microsoft.com</c>) stand-in: serves the workspace's
/// package at the unguessable URL the lab's <c>getDeploymentPackageUri</c> hands out, and nothing else. A request that
/// carries an Authorization header is refused (403): the Graph token must never travel to the package host. A profile
/// may have the first downloads refused as an expired link is.
/// </summary>
internal sealed class PackageServer : IAsyncDisposable
{
    private readonly LabRequestLog _log;
    private readonly ProxyConnectionRegistry _proxy;
    private readonly string _path;
    private readonly string _file;
    private readonly int _refuse;
    private int _downloads;
    private LoopbackWebHost? _host;

    private PackageServer(LabRequestLog log, ProxyConnectionRegistry proxy, string file, string secret, int refuse)
    {
        _refuse = refuse;
        _log = log;
        _proxy = proxy;
        _file = file;
        _path = $"/sensor-package/{secret}/{LabSensorPackage.FileName}";
    }

    public Uri Address => _host!.Address;

    /// <summary>The package's download URL, as getDeploymentPackageUri answers it.</summary>
    public Uri PackageUrl => new(Address, Uri.EscapeDataString(_path.TrimStart('/')).Replace("%2F", "/", StringComparison.Ordinal));

    public static async Task<PackageServer> StartAsync(LabProfile profile, LabState state, LabRequestLog log, ProxyConnectionRegistry proxy, int preferredPort, CancellationToken cancellationToken)
    {
        var file = Path.Combine(state.PackagesDirectory, "graph", LabSensorPackage.FileName);
        LabSensorPackage.Write(file, profile.Tenant.Workspace);
        var secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var server = new PackageServer(log, proxy, file, secret, profile.Connectivity.PackageDownloadsRefused);
        server._host = await LoopbackWebHost.StartAsync(server.HandleAsync, preferredPort, cancellationToken).ConfigureAwait(false);
        return server;
    }

    public ValueTask DisposeAsync() => _host?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var status = request.Headers.Authorization.Count > 0 ? 403
            : !string.Equals(Uri.UnescapeDataString(request.Path.Value ?? ""), _path, StringComparison.Ordinal) ? 404
            : request.Method != HttpMethods.Get ? 405
            : Interlocked.Increment(ref _downloads) <= _refuse ? 403
            : 200;
        _log.Add(LabServer.Package, request.Method, request.Path.Value ?? "", _proxy.IsFromProxy(http.Connection.RemotePort), status);
        http.Response.StatusCode = status;
        if (status == 403)
        {
            // As the storage behind a signed URL answers an expired or refused link.
            http.Response.ContentType = "application/xml";
            await http.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request. Signed expiry time has passed.</Message></Error>", http.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (status != 200)
        {
            return;
        }

        var bytes = await File.ReadAllBytesAsync(_file, http.RequestAborted).ConfigureAwait(false);
        http.Response.ContentType = "application/x-zip-compressed";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted).ConfigureAwait(false);
    }
}
