using System.Net;

namespace MdiFlow.Lab.StandIn;

/// <summary>How the setup's call to the sensor API ended.</summary>
internal enum Reachability
{
    /// <summary>The sensor API answered (200, or 503 from older workspaces).</summary>
    Reached,

    /// <summary>The proxy answered 401, 403 or 407: the setup reports it as a licensing problem.</summary>
    RefusedByProxy,

    /// <summary>No answer from the sensor API: connection reset or refused, timeout, or the proxy could not reach it.</summary>
    Unreachable,
}

/// <summary>The setup's registration call: a GET of the workspace's sensor API ping, through <c>ProxyUrl</c> when given.</summary>
internal static class SensorRegistration
{
    private const int Attempts = 3;

    /// <summary>Calls the ping URL, retrying connection failures; the detail says what happened, for the deployer log.</summary>
    public static async Task<(Reachability Result, string Detail)> PingAsync(Uri ping, SetupSwitches switches, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), UseProxy = switches.ProxyUrl is not null };
        if (switches.ProxyUrl is { } proxyUrl)
        {
            handler.Proxy = new WebProxy(proxyUrl)
            {
                Credentials = switches.ProxyUserName is { } user ? new NetworkCredential(user, switches.ProxyUserPassword) : null,
            };
        }

        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var detail = "";
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                using var response = await client.GetAsync(ping, cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                detail = $"HTTP {status} {response.ReasonPhrase}";
                switch (status)
                {
                    case 200 or 503:
                        return (Reachability.Reached, detail);
                    case 401 or 403 or 407 when switches.ProxyUrl is not null:
                        return (Reachability.RefusedByProxy, detail);
                    case 502 or 504 when switches.ProxyUrl is not null:
                        continue;
                    default:
                        return (Reachability.Unreachable, detail);
                }
            }
            catch (HttpRequestException ex)
            {
                detail = ex.HttpRequestError + ": " + ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                detail = "timed out";
            }
        }

        return (Reachability.Unreachable, detail);
    }
}
