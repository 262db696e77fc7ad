namespace MdiFlow.Plugins.Standard.Http;

/// <summary>The input of <c>http.probe</c>: one GET request to prove an endpoint is reachable.</summary>
public sealed record HttpProbeInput
{
    /// <summary>The absolute <c>http</c> or <c>https</c> URL to request. Redirects are not followed: a 3xx answer is the result.</summary>
    public required string Url { get; init; }

    /// <summary>
    /// The proxy to go through, for example <c>http://proxy.contoso.com:8080</c>; credentials may be given as
    /// <c>http://user:password@proxy:8080</c>. When absent the request goes direct, whatever the host's proxy settings.
    /// </summary>
    public string? ProxyUrl { get; init; }

    /// <summary>How long to wait for the response headers, as ISO 8601 (<c>PT30S</c>) or <c>hh:mm:ss</c>. Default 30 seconds.</summary>
    public string? Timeout { get; init; }

    /// <summary>The status codes that count as success; any 2xx when absent.</summary>
    public IReadOnlyList<int>? ExpectStatus { get; init; }
}
