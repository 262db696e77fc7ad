using System.Text;

namespace MdiFlow.Lab.Servers.Proxy;

/// <summary>The start line and headers of an HTTP/1.1 message, and any bytes read past them.</summary>
internal sealed class HttpHead
{
    private const int MaxHeadBytes = 64 * 1024;

    private HttpHead(string startLine, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> rest)
    {
        StartLine = startLine;
        Headers = headers;
        Rest = rest;
    }

    /// <summary>The request line (<c>GET http://host/ HTTP/1.1</c>) or status line (<c>HTTP/1.1 200 OK</c>).</summary>
    public string StartLine { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Bytes after the blank line: the start of the body.</summary>
    public ReadOnlyMemory<byte> Rest { get; }

    public string? this[string name] =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Reads a head; null when the stream ends first, or the head is too large or malformed.</summary>
    public static async Task<HttpHead?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeadBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            filled += read;
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var lines = Encoding.Latin1.GetString(buffer, 0, end).Split("\r\n");
                var headers = new List<KeyValuePair<string, string>>();
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                    {
                        return null;
                    }

                    headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
                }

                return new HttpHead(lines[0], headers, buffer.AsMemory(end + 4, filled - end - 4));
            }
        }

        return null;
    }

    /// <summary>The head re-written with another start line, without <paramref name="dropped"/> headers, plus <paramref name="added"/> ones.</summary>
    public byte[] Rewrite(string startLine, IEnumerable<string> dropped, params string[] added)
    {
        var builder = new StringBuilder(startLine).Append("\r\n");
        foreach (var (name, value) in Headers.Where(h => !dropped.Contains(h.Key, StringComparer.OrdinalIgnoreCase)))
        {
            builder.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        foreach (var header in added)
        {
            builder.Append(header).Append("\r\n");
        }

        return Encoding.Latin1.GetBytes(builder.Append("\r\n").ToString());
    }
}
