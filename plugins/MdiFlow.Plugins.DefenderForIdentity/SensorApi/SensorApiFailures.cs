using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MdiFlow.Activities;

namespace MdiFlow.Plugins.DefenderForIdentity.SensorApi;

/// <summary>The classified reasons a sensor API probe fails, each with what the documentation says to do.</summary>
internal static partial class SensorApiFailures
{
    /// <summary>The documented allow-list: the sensor API, certificate revocation and trust lists, the PKI repositories and the package host.</summary>
    public const string Endpoints = "*.atp.azure.com (service tag AzureAdvancedThreatProtection), crl.microsoft.com, ctldl.windowsupdate.com, www.microsoft.com/pkiops/* and www.microsoft.com/pki/* (certificate revocation), and sensorpackage-prd.mdi.securitycenter.microsoft.com (the sensor package)";

    public static ActivityError Classify(HttpRequestException exception, string target, string? proxy, CertificateChainInspection inspection)
    {
        var via = Via(proxy);
        var reason = Innermost(exception).Message.TrimEnd('.');
        var details = new Dictionary<string, string> { ["error"] = exception.HttpRequestError.ToString(), ["message"] = reason };
        if (inspection.ForeignRoot is { } root)
        {
            details["certificateRoot"] = root;
            return new ActivityError("probe.sslInspection", $"The sensor API {target}{via} presented a certificate chain that ends in '{root}', not in a Microsoft root: something between this server and the service inspects TLS.", Permanent: true)
            {
                Fix = "SSL/TLS inspection is not supported for the sensor: exclude *.atp.azure.com from inspection on the proxy or firewall, then retry.",
                Details = details,
            };
        }

        var status = exception.StatusCode is { } code ? (int)code : TunnelStatus(exception.Message);
        if (exception.HttpRequestError == HttpRequestError.ProxyTunnelError && status is { } tunnelStatus)
        {
            details["status"] = tunnelStatus.ToString(CultureInfo.InvariantCulture);
            return tunnelStatus switch
            {
                407 => ProxyAuth(target, proxy, details),
                401 or 403 => ProxyDenied(target, proxy, tunnelStatus, details),
                _ => Tcp($"The proxy {proxy} could not open a tunnel to {target} (status {tunnelStatus}).", details),
            };
        }

        return exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => new ActivityError("probe.dns", $"The name in {target}{via} does not resolve: {reason}.")
            {
                Fix = $"Check that this server's DNS resolves {new Uri(target).Host} (Internet names, directly or through forwarders); where only the proxy resolves Internet names, give 'proxyUrl'.",
                Details = details,
            },
            HttpRequestError.SecureConnectionError => new ActivityError("probe.tls", $"The sensor API {target}{via} was reached but TLS could not be set up: {reason}.")
            {
                Fix = $"Enable TLS 1.2 for .NET Framework (SystemDefaultTlsVersions and SchUseStrongCrypto set to 1 under HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 and its WOW6432Node twin), make sure the machine's Root store holds DigiCert Global Root G2 (commercial) or DigiCert Global Root CA (GCC High), and that {Endpoints} are reachable for revocation checks.",
                Details = details,
            },
            _ => Tcp(proxy is null ? $"No connection to {target}: {reason}." : $"No connection through the proxy {proxy} to {target}: {reason}.", details),
        };
    }

    public static ActivityError Timeout(string target, string? proxy, TimeSpan timeout) =>
        new("probe.timeout", $"The sensor API {target}{Via(proxy)} did not answer within {timeout.TotalSeconds:0} seconds.")
        {
            Fix = $"A firewall may be dropping the traffic silently: allow outbound HTTPS (TCP 443) from this server to {Endpoints}, directly or through 'proxyUrl'.",
        };

    public static ActivityError ProxyAuth(string target, string? proxy, IReadOnlyDictionary<string, string>? details = null) =>
        new("probe.proxyAuth", $"The proxy {proxy ?? "in the path"} asked for credentials (407) before letting the probe of {target} through.", Permanent: true)
        {
            Fix = "Give the proxy's credentials in 'proxyCredential' (env:NAME or file:PATH holding user:password), and to the installer as ProxyUserName and ProxyUserPassword; or let this server through the proxy without authentication.",
            Details = details,
        };

    public static ActivityError ProxyDenied(string target, string? proxy, int status, IReadOnlyDictionary<string, string>? details = null) =>
        new("probe.proxyDenied", $"{(proxy is null ? "A proxy or firewall in the path" : $"The proxy {proxy}")} answered {status} to the probe of {target}: it refuses the sensor's traffic. This is the known cause of the installer's \"failed to register due to licensing issues\".", Permanent: true)
        {
            Fix = $"Allow this server (and the account the sensor runs as) to reach {Endpoints} through the proxy without authentication or content filtering, then retry.",
            Details = details,
        };

    public static ActivityError UnexpectedStatus(string target, string? proxy, int status, string? reason) =>
        new("probe.status", $"The sensor API {target}{Via(proxy)} answered {status} {reason}; a reachable service answers 200 (or 503 \"The service is unavailable\").")
        {
            Fix = "Check the workspace name (the ping URL is https://{workspace}sensorapi.atp.azure.com/tri/sensor/api/ping) and that no proxy rewrites the answer.",
            Details = new Dictionary<string, string> { ["status"] = status.ToString(CultureInfo.InvariantCulture) },
        };

    private static ActivityError Tcp(string message, IReadOnlyDictionary<string, string> details) =>
        new("probe.tcp", message)
        {
            Fix = $"Allow outbound HTTPS (TCP 443) from this server to {Endpoints}, directly or through the proxy in 'proxyUrl'; check the proxy address and port.",
            Details = details,
        };

    private static string Via(string? proxy) => proxy is null ? "" : $" (through the proxy {proxy})";

    private static int? TunnelStatus(string message)
    {
        var match = QuotedStatus().Match(message);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    [GeneratedRegex(@"'(\d{3})'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedStatus();
}
