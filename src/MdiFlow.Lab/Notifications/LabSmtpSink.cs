using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MdiFlow.Lab.Notifications;

/// <summary>
/// A mail server on 127.0.0.1 that accepts every message and keeps it: enough SMTP (RFC 5321) for a real client such as
/// MailKit: <c>EHLO</c>/<c>HELO</c>, <c>MAIL</c>, <c>RCPT</c>, <c>DATA</c> (with dot-unstuffing), <c>RSET</c>,
/// <c>NOOP</c>, <c>QUIT</c>. No TLS and no authentication are offered.
/// </summary>
public sealed class LabSmtpSink : IAsyncDisposable
{
    private const string Domain = "mail.lab.mdiflow.test";
    private readonly TcpListener _listener;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly ArrivalLog<LabMailMessage> _messages = new();
    private readonly Task _accepting;

    private LabSmtpSink(TcpListener listener, TimeProvider time)
    {
        _listener = listener;
        _time = time;
        _accepting = AcceptAsync();
    }

    /// <summary>The host to connect to (always 127.0.0.1).</summary>
    public string Host => "127.0.0.1";

    /// <summary>The port the sink listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The messages accepted so far, in order.</summary>
    public IReadOnlyList<LabMailMessage> Messages => _messages.Snapshot();

    /// <summary>Starts listening on a port the system picks.</summary>
    public static LabSmtpSink Start(TimeProvider? time = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new LabSmtpSink(listener, time ?? TimeProvider.System);
    }

    /// <summary>Completes once at least <paramref name="count"/> messages were accepted.</summary>
    public Task<IReadOnlyList<LabMailMessage>> WaitForMessagesAsync(int count, CancellationToken cancellationToken = default) =>
        _messages.WaitForAsync(count, cancellationToken);

    /// <summary>Stops listening and closes open sessions.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var owned = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync($"220 {Domain} ESMTP MdiFlow lab mail sink").ConfigureAwait(false);
            string? from = null;
            var to = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
            {
                var verb = (line.Length >= 4 ? line[..4] : line).ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteAsync($"250-{Domain} greets {Argument(line)}\r\n250-8BITMIME\r\n250-SIZE 10485760\r\n250 ENHANCEDSTATUSCODES\r\n").ConfigureAwait(false);
                        break;
                    case "HELO":
                        await writer.WriteLineAsync($"250 {Domain}").ConfigureAwait(false);
                        break;
                    case "MAIL":
                        from = Address(line);
                        to.Clear();
                        await writer.WriteLineAsync("250 2.1.0 Sender OK").ConfigureAwait(false);
                        break;
                    case "RCPT" when from is null:
                        await writer.WriteLineAsync("503 5.5.1 Need MAIL before RCPT").ConfigureAwait(false);
                        break;
                    case "RCPT":
                        to.Add(Address(line));
                        await writer.WriteLineAsync("250 2.1.5 Recipient OK").ConfigureAwait(false);
                        break;
                    case "DATA" when from is null || to.Count == 0:
                        await writer.WriteLineAsync("503 5.5.1 Need MAIL and RCPT before DATA").ConfigureAwait(false);
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 Start mail input; end with <CRLF>.<CRLF>").ConfigureAwait(false);
                        var data = await ReadDataAsync(reader).ConfigureAwait(false);
                        _messages.Add(new LabMailMessage(from, [.. to], data, _time.GetUtcNow()));
                        from = null;
                        to.Clear();
                        await writer.WriteLineAsync("250 2.0.0 OK: queued").ConfigureAwait(false);
                        break;
                    case "RSET":
                        from = null;
                        to.Clear();
                        await writer.WriteLineAsync("250 2.0.0 OK").ConfigureAwait(false);
                        break;
                    case "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 OK").ConfigureAwait(false);
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync($"221 2.0.0 {Domain} closing connection").ConfigureAwait(false);
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not implemented").ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away or the sink is stopping.
        }
    }

    private async Task<string> ReadDataAsync(StreamReader reader)
    {
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line && line != ".")
        {
            data.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }

        return data.ToString();
    }

    private static string Argument(string line) => line.Length > 5 ? line[5..].Trim() : "";

    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? line[(start + 1)..end] : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}

/// <summary>A message the lab mail sink accepted.</summary>
/// <param name="From">The envelope sender (<c>MAIL FROM</c>).</param>
/// <param name="To">The envelope recipients (<c>RCPT TO</c>).</param>
/// <param name="Data">The message as sent (headers and body, CRLF line ends, dot-unstuffed); parse it with a MIME reader.</param>
/// <param name="ReceivedAt">When the sink accepted it.</param>
public sealed record LabMailMessage(string From, IReadOnlyList<string> To, string Data, DateTimeOffset ReceivedAt);
