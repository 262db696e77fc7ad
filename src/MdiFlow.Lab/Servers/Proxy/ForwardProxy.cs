using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MdiFlow.Lab.Profiles;

namespace MdiFlow.Lab.Servers.Proxy;

/// <summary>
/// An HTTP/1.1 forward proxy on 127.0.0.1: absolute-URI requests are forwarded, <c>CONNECT</c> opens a tunnel.
/// As the profile says, it demands Basic credentials (407 with <c>Proxy-Authenticate</c>) and answers 403 to
/// the sensor API. It forwards only to the lab's own servers, and marks its connections to them so they can
/// tell proxied requests from direct ones. One request per client connection (<c>Connection: close</c>).
/// </summary>
internal sealed class ForwardProxy : IAsyncDisposable
{
    private const string Realm = "MdiFlow lab proxy";
    private static readonly string[] HopByHop = ["Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "Proxy-Authenticate", "TE", "Trailer", "Upgrade"];

    private readonly LabProxy _settings;
    private readonly LabRequestLog _log;
    private readonly ProxyConnectionRegistry _registry;
    private readonly Func<int, LabServer?> _labServerAt;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly Task _accepting;

    /// <summary>
    /// Starts listening, on <paramref name="preferredPort"/> when it is free; <paramref name="labServerAt"/> says which
    /// lab server listens on a loopback port (null: none).
    /// </summary>
    public ForwardProxy(LabProxy settings, LabRequestLog log, ProxyConnectionRegistry registry, Func<int, LabServer?> labServerAt, int preferredPort)
    {
        _settings = settings;
        _log = log;
        _registry = registry;
        _labServerAt = labServerAt;
        _listener = Listen(preferredPort);
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        await Task.WhenAll(_connections.Keys).ConfigureAwait(false);
        _stop.Dispose();
    }

    private static TcpListener Listen(int preferredPort)
    {
        if (preferredPort > 0)
        {
            var preferred = new TcpListener(IPAddress.Loopback, preferredPort);
            try
            {
                // The last lab's connections may linger in TIME_WAIT; a listener may still take the port.
                preferred.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                preferred.Start();
                return preferred;
            }
            catch (SocketException)
            {
                preferred.Dispose();
            }
        }

        var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return any;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var serving = ServeAsync(client);
            _connections[serving] = 0;
            _ = serving.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await ServeRequestAsync(client, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away or the lab is stopping.
            }
        }
    }

    private async Task ServeRequestAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var stream = client.GetStream();
        if (await HttpHead.ReadAsync(stream, cancellationToken).ConfigureAwait(false) is not { } head ||
            head.StartLine.Split(' ') is not [var method, var target, _])
        {
            return;
        }

        async Task RefuseAsync(int status, string reason, string body, params string[] headers)
        {
            _log.Add(LabServer.Proxy, method, target, viaProxy: false, status);
            await WriteAsync(stream, status, reason, body, headers, cancellationToken).ConfigureAwait(false);
        }

        if (!Authorised(head))
        {
            await RefuseAsync(407, "Proxy Authentication Required", "The proxy requires credentials.", $"Proxy-Authenticate: Basic realm=\"{Realm}\"").ConfigureAwait(false);
            return;
        }

        if (!TryReadTarget(method, target, out var host, out var port, out var originForm) || head["Transfer-Encoding"] is not null)
        {
            await RefuseAsync(400, "Bad Request", "The lab proxy takes an absolute http:// URI or CONNECT host:port, with no chunked request body.").ConfigureAwait(false);
            return;
        }

        var server = host is "127.0.0.1" or "localhost" or "[::1]" or "::1" ? _labServerAt(port) : null;
        if (server is null)
        {
            await RefuseAsync(502, "Bad Gateway", $"The lab proxy forwards only to the lab's own servers, not to {host}:{port}.").ConfigureAwait(false);
            return;
        }

        if (server == LabServer.SensorApi && _settings.DenySensorApi)
        {
            await RefuseAsync(403, "Forbidden", "Access to the requested site is denied by the proxy's policy.").ConfigureAwait(false);
            return;
        }

        using var upstream = new TcpClient(AddressFamily.InterNetwork);
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            await RefuseAsync(502, "Bad Gateway", $"The proxy cannot connect to {host}:{port} ({ex.SocketErrorCode}).").ConfigureAwait(false);
            return;
        }

        using var registration = _registry.Register(((IPEndPoint)upstream.Client.LocalEndPoint!).Port);
        if (method == "CONNECT")
        {
            _log.Add(LabServer.Proxy, method, target, viaProxy: false, 200);
            await stream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            await upstream.GetStream().WriteAsync(head.Rest, cancellationToken).ConfigureAwait(false);
            await RelayAsync(client, upstream, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ForwardAsync(stream, upstream.GetStream(), head, method, target, originForm, cancellationToken).ConfigureAwait(false);
    }

    private async Task ForwardAsync(NetworkStream client, NetworkStream upstream, HttpHead head, string method, string target, string originForm, CancellationToken cancellationToken)
    {
        await upstream.WriteAsync(head.Rewrite($"{method} {originForm} HTTP/1.1", HopByHop, "Connection: close", "Via: 1.1 mdiflow-lab-proxy"), cancellationToken).ConfigureAwait(false);
        var length = long.TryParse(head["Content-Length"], NumberStyles.None, CultureInfo.InvariantCulture, out var declared) ? declared : 0;
        var buffered = head.Rest[..(int)Math.Min(head.Rest.Length, length)];
        await upstream.WriteAsync(buffered, cancellationToken).ConfigureAwait(false);
        await CopyExactlyAsync(client, upstream, length - buffered.Length, cancellationToken).ConfigureAwait(false);

        HttpHead? response;
        try
        {
            response = await HttpHead.ReadAsync(upstream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            response = null;
        }

        var status = response?.StartLine.Split(' ') is [_, var code, ..] && int.TryParse(code, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        if (response is null || status == 0)
        {
            _log.Add(LabServer.Proxy, method, target, viaProxy: false, 502);
            await WriteAsync(client, 502, "Bad Gateway", "The server closed the connection without answering.", [], cancellationToken).ConfigureAwait(false);
            return;
        }

        _log.Add(LabServer.Proxy, method, target, viaProxy: false, status);
        await client.WriteAsync(response.Rewrite(response.StartLine, HopByHop, "Connection: close"), cancellationToken).ConfigureAwait(false);
        await client.WriteAsync(response.Rest, cancellationToken).ConfigureAwait(false);
        await upstream.CopyToAsync(client, cancellationToken).ConfigureAwait(false);
    }

    private bool Authorised(HttpHead head)
    {
        if (_settings.UserName is null)
        {
            return true;
        }

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_settings.UserName}:{_settings.Password}"));
        return string.Equals(head["Proxy-Authorization"], expected, StringComparison.Ordinal);
    }

    private static bool TryReadTarget(string method, string target, out string host, out int port, out string originForm)
    {
        originForm = "";
        if (method == "CONNECT")
        {
            var colon = target.LastIndexOf(':');
            host = colon > 0 ? target[..colon] : target;
            return int.TryParse(target.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) && colon > 0;
        }

        var ok = Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp;
        host = ok ? uri!.Host : "";
        port = ok ? uri!.Port : 0;
        originForm = ok ? uri!.PathAndQuery : "";
        return ok;
    }

    private static async Task CopyExactlyAsync(Stream from, Stream to, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        while (count > 0)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            count -= read;
        }
    }

    private static async Task RelayAsync(TcpClient client, TcpClient upstream, CancellationToken cancellationToken)
    {
        async Task PumpAsync(TcpClient from, TcpClient to)
        {
            try
            {
                await from.GetStream().CopyToAsync(to.GetStream(), cancellationToken).ConfigureAwait(false);
                to.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                from.Close();
                to.Close();
            }
        }

        await Task.WhenAll(PumpAsync(client, upstream), PumpAsync(upstream, client)).ConfigureAwait(false);
    }

    private static Task WriteAsync(Stream stream, int status, string reason, string body, string[] headers, CancellationToken cancellationToken)
    {
        var content = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        head.Append($"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {content.Length}\r\nConnection: close\r\n\r\n");
        byte[] message = [.. Encoding.Latin1.GetBytes(head.ToString()), .. content];
        return stream.WriteAsync(message, cancellationToken).AsTask();
    }
}
