using System.Globalization;
using System.Net;
using MdiFlow.Activities;

namespace MdiFlow.Plugins.Standard.Http;

/// <summary><c>http.probe</c>: one GET request, classified into a code an operator can act on.</summary>
[Activity("http.probe", Description = "Checks that a URL answers, directly or through a proxy.", Recovery = RecoveryMode.Idempotent)]
internal sealed class HttpProbeActivity : Activity<HttpProbeInput, HttpProbeOutput>
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    protected override async ValueTask<ActivityResult> ExecuteAsync(HttpProbeInput input, ActivityContext context)
    {
        if (!TryHttpUri(input.Url, out var url))
        {
            return InvalidInput.Fail(context, $"'url' is \"{input.Url}\", which is not an absolute http or https URL.");
        }

        Uri? proxy = null;
        if (input.ProxyUrl is not null && !TryHttpUri(input.ProxyUrl, out proxy))
        {
            return InvalidInput.Fail(context, "'proxyUrl' is not an absolute http or https URL such as http://proxy.contoso.com:8080.");
        }

        if (!InvalidInput.TryDuration(context, "timeout", input.Timeout, DefaultTimeout, out var timeout, out var failure))
        {
            return failure;
        }

        var target = Shown(url);
        var shownProxy = proxy is null ? null : Shown(proxy);
        using var handler = new SocketsHttpHandler
        {
            UseProxy = proxy is not null,
            Proxy = proxy is null ? null : new WebProxy(proxy) { Credentials = Credentials(proxy) },
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var deadline = new CancellationTokenSource(timeout.GetValueOrDefault(DefaultTimeout), context.Time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, deadline.Token);

        var started = context.Time.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            return ActivityResult.Fail(new ActivityError(
                "http.timeout",
                $"The probe of {target}{Via(shownProxy)} got no response within {input.Timeout ?? "30 seconds"}.")
            {
                Fix = "Check that the service is up and that a firewall does not silently drop the traffic; raise 'timeout' if it is only slow.",
            });
        }
        catch (HttpRequestException ex)
        {
            return ActivityResult.Fail(HttpFailures.Classify(ex, target, shownProxy));
        }

        using (response)
        {
            var latency = (long)context.Time.GetElapsedTime(started).TotalMilliseconds;
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.ProxyAuthenticationRequired)
            {
                return ActivityResult.Fail(HttpFailures.ProxyAuth(target, shownProxy));
            }

            var expected = input.ExpectStatus is { Count: > 0 } list ? list.Contains(status) : status is >= 200 and <= 299;
            if (!expected)
            {
                return ActivityResult.Fail(UnexpectedStatus(input, response, target, shownProxy));
            }

            return Complete(new HttpProbeOutput { Status = status, LatencyMs = latency });
        }
    }

    private static ActivityError UnexpectedStatus(HttpProbeInput input, HttpResponseMessage response, string target, string? proxy)
    {
        var status = (int)response.StatusCode;
        var wanted = input.ExpectStatus is { Count: > 0 } list ? string.Join(", ", list) : "any 2xx";
        var details = new Dictionary<string, string> { ["status"] = status.ToString(CultureInfo.InvariantCulture) };
        var redirect = "";
        if (response.Headers.Location is { } location)
        {
            details["location"] = location.IsAbsoluteUri ? Shown(location) : location.OriginalString;
            redirect = $" (a redirect to {details["location"]}, not followed)";
        }

        return new ActivityError(
            "http.status",
            $"The probe of {target}{Via(proxy)} got the status {status} {response.ReasonPhrase}{redirect}; the step expects {wanted}.")
        {
            Fix = status >= 500
                ? "The server reports a fault of its own; it may recover, so the step can be retried. If it persists, check the service's logs."
                : "Check the URL; if this status is what the endpoint normally answers, list it in 'expectStatus'.",
            Details = details,
        };
    }

    private static bool TryHttpUri(string? text, out Uri uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static NetworkCredential? Credentials(Uri proxy)
    {
        if (proxy.UserInfo.Length == 0)
        {
            return null;
        }

        var parts = proxy.UserInfo.Split(':', 2);
        return new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }

    /// <summary>The URL as messages show it: no credentials, no query (it may hold tokens).</summary>
    private static string Shown(Uri uri) =>
        new UriBuilder(uri) { UserName = "", Password = "", Query = "", Fragment = "" }.Uri.ToString();

    private static string Via(string? proxy) => proxy is null ? "" : $" through the proxy {proxy}";
}
