using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MdiFlow.Plugins.Standard.Tests.Support;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 that answers every request with one fixed response,
/// or, with a null response, accepts connections and never answers.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _firstRequestLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _response;
    private readonly Task _serving;

    private LoopbackHttpServer(string? response)
    {
        _response = response;
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>The request line of the first request, for example "GET / HTTP/1.1".</summary>
    public Task<string> FirstRequestLine => _firstRequestLine.Task;

    /// <summary>Completes when the first connection is accepted.</summary>
    public Task Accepted => _accepted.Task;

    public static LoopbackHttpServer Answering(int status, string reason, string extraHeaders = "") =>
        new($"HTTP/1.1 {status} {reason}\r\n{extraHeaders}Content-Length: 2\r\nConnection: close\r\n\r\nok");

    public static LoopbackHttpServer Silent() => new(null);

    /// <summary>A port nothing listens on (it was just released).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        var clients = new List<TcpClient>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                clients.Add(client);
                _accepted.TrySetResult();
                _ = AnswerAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped.
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var received = new StringBuilder();
            var buffer = new byte[4096];
            // Answer at once what is not HTTP (a TLS handshake), so the client sees the mismatch.
            while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && (received.Length == 0 || char.IsAsciiLetter(received[0])))
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }

            _firstRequestLine.TrySetResult(received.ToString().Split("\r\n")[0]);
            if (_response is null)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            await stream.WriteAsync(Encoding.Latin1.GetBytes(_response!), _stop.Token);
            client.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
