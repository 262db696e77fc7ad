using System.Net;
using MdiFlow.Activities;

namespace MdiFlow.Plugins.Standard.Http;

/// <summary>Turns what went wrong with a probe into an error code an operator can act on.</summary>
internal static class HttpFailures
{
    /// <summary>Classifies a request that got no response.</summary>
    /// <param name="exception">What the handler threw.</param>
    /// <param name="target">The URL, without credentials or query.</param>
    /// <param name="proxy">The proxy, without credentials, or null when direct.</param>
    public static ActivityError Classify(HttpRequestException exception, string target, string? proxy)
    {
        var via = proxy is null ? "" : $" through the proxy {proxy}";
        var details = new Dictionary<string, string>
        {
            ["error"] = exception.HttpRequestError.ToString(),
            ["message"] = Innermost(exception).Message,
        };
        return exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => new ActivityError(
                "http.dns",
                $"The probe of {target}{via} failed: a host name does not resolve ({Innermost(exception).Message.TrimEnd('.')}).")
            {
                Fix = "Check the host name, and that this machine's DNS servers know it; names only a proxy can resolve need 'proxyUrl'.",
                Details = details,
            },
            HttpRequestError.SecureConnectionError => new ActivityError(
                "http.tls",
                $"The probe of {target}{via} reached the server but could not set up TLS: {Innermost(exception).Message.TrimEnd('.')}.")
            {
                Fix = "Check the server certificate and its chain are trusted on this host; a proxy that inspects TLS needs its root certificate installed.",
                Details = details,
            },
            HttpRequestError.ProxyTunnelError when exception.StatusCode == HttpStatusCode.ProxyAuthenticationRequired => ProxyAuth(target, proxy, details),
            HttpRequestError.ProxyTunnelError => new ActivityError(
                "http.connect",
                $"The proxy {proxy} refused to open a tunnel to {target}: {exception.Message.TrimEnd('.')}.")
            {
                Fix = "Ask the proxy's administrators to allow the destination, or correct 'proxyUrl'.",
                Details = details,
            },
            _ => new ActivityError(
                "http.connect",
                $"The probe of {target}{via} failed to connect: {Innermost(exception).Message.TrimEnd('.')}.")
            {
                Fix = "Check the service is running and listening, and that no firewall between this host and it drops the port.",
                Details = details,
            },
        };
    }

    public static ActivityError ProxyAuth(string target, string? proxy, IReadOnlyDictionary<string, string>? details = null) =>
        new("http.proxyAuth", $"The proxy {proxy ?? "between this host and " + target} asked for authentication (407) before letting the probe of {target} through.", Permanent: true)
        {
            Fix = "Give the proxy's credentials in 'proxyUrl' (http://user:password@proxy:port, from a secret), or ask its administrators to allow this host without authentication.",
            Details = details,
        };

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
