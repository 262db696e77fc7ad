using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

/// <summary>
/// A bare HTTP/1.1 server on 127.0.0.1 for what HttpListener cannot play: a proxy (absolute-form requests and
/// CONNECT), a TLS server with a self-signed certificate, a server that never answers. Each request's head goes
/// to <c>answer</c>, which returns the full response (or null to stay silent).
/// </summary>
internal sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, string?> _answer;
    private readonly X509Certificate2? _certificate;
    private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _requests = [];
    private readonly Task _serving;

    private RawHttpServer(Func<string, string?> answer, X509Certificate2? certificate)
    {
        _answer = answer;
        _certificate = certificate;
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Task Accepted => _accepted.Task;

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static RawHttpServer Answering(Func<string, string?> answer) => new(answer, null);

    /// <summary>An HTTPS server whose certificate is self-signed for "localhost" (a chain no Microsoft root issued).</summary>
    public static RawHttpServer Tls(Func<string, string?> answer) => new(answer, X509CertificateLoader.LoadPkcs12(SelfSigned.Value, null));

    // One certificate for every test (an ECDSA key is quick to make; a PFX reloads on every platform).
    private static readonly Lazy<byte[]> SelfSigned = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Contoso Inspection CA", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return certificate.Export(X509ContentType.Pfx);
    });

    public static string Response(int status, string reason, string body = "", string headers = "") =>
        $"HTTP/1.1 {status} {reason}\r\n{headers}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _accepted.TrySetResult();
                _ = AnswerAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped: InvalidOperationException when the loop came back to accept after Stop().
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                    stream = tls;
                }

                while (await ReadHeadAsync(stream) is { } head)
                {
                    lock (_requests)
                    {
                        _requests.Add(head);
                    }

                    if (_answer(head) is not { } response)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    }

                    await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
            {
            }
        }
    }

    private async Task<string?> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _certificate?.Dispose();
        _stop.Dispose();
    }
}
