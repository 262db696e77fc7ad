using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;
using MdiFlow.Activities;
using MdiFlow.Secrets;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.DefenderForIdentity.SensorApi;

/// <summary>
/// <c>mdi.probeSensorApi</c>: pings the workspace's sensor API from this server, directly or through the
/// sensor's proxy, and classifies a failure as DNS, TCP, TLS, SSL inspection, proxy authentication or proxy refusal.
/// </summary>
[Activity("mdi.probeSensorApi", Description = "Checks that this server reaches the Defender for Identity sensor API, directly or through a proxy.", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true, Rehearsal = RehearsalMode.Double)]
internal sealed partial class ProbeSensorApiActivity(IOptions<DefenderForIdentityOptions> options) : Activity<ProbeSensorApiInput, ProbeSensorApiOutput>
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    protected override async ValueTask<ActivityResult> ExecuteAsync(ProbeSensorApiInput input, ActivityContext context)
    {
        // An optional input bound from an absent value arrives empty.
        input = input with { ProxyUrl = Blank(input.ProxyUrl), ProxyCredential = Blank(input.ProxyCredential) };
        if (!TryCheck(input, context, out var url, out var proxy, out var timeout, out var problem))
        {
            return problem;
        }

        NetworkCredential? credential = null;
        if (input.ProxyCredential is { } reference)
        {
            try
            {
                var value = SecretReference.IsValid(reference) ? SecretReference.Resolve("proxyCredential", reference) : reference;
                var pair = value.Split(':', 2);
                credential = new NetworkCredential(pair[0], pair.Length > 1 ? pair[1] : "");
            }
            catch (SecretException ex)
            {
                return InvalidInput.Fail(context, ex.Message);
            }
        }

        var target = url.GetLeftPart(UriPartial.Path);
        var shownProxy = proxy?.GetLeftPart(UriPartial.Authority);
        var inspection = new CertificateChainInspection();
        using var handler = new SocketsHttpHandler
        {
            UseProxy = proxy is not null,
            Proxy = proxy is null ? null : new WebProxy(proxy) { Credentials = credential },
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        if (options.Value.RequireMicrosoftCertificateChain)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = inspection.Validate;
        }

        using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var deadline = new CancellationTokenSource(timeout, context.Time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, deadline.Token);
        var started = context.Time.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            return ActivityResult.Fail(SensorApiFailures.Timeout(target, shownProxy, timeout));
        }
        catch (HttpRequestException ex)
        {
            return ActivityResult.Fail(SensorApiFailures.Classify(ex, target, shownProxy, inspection));
        }

        using (response)
        {
            var latency = (long)context.Time.GetElapsedTime(started).TotalMilliseconds;
            var status = (int)response.StatusCode;
            string body;
            try
            {
                body = (await response.Content.ReadAsStringAsync(stop.Token).ConfigureAwait(false)).Trim();
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !context.CancellationToken.IsCancellationRequested)
            {
                body = "";
            }

            string? note = null;
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    note = body.Equals("Ok", StringComparison.OrdinalIgnoreCase) || body.Length == 0 ? null : $"The sensor API answered with the version {Shorten(body)}.";
                    break;
                case HttpStatusCode.ServiceUnavailable when body.Contains("service is unavailable", StringComparison.OrdinalIgnoreCase):
                    note = "The sensor API answered 503 \"The service is unavailable\", as some older workspaces answer the ping; it still proves this server reaches the service.";
                    break;
                case HttpStatusCode.ProxyAuthenticationRequired:
                    return ActivityResult.Fail(SensorApiFailures.ProxyAuth(target, shownProxy));
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    return ActivityResult.Fail(SensorApiFailures.ProxyDenied(target, shownProxy, status));
                default:
                    return ActivityResult.Fail(SensorApiFailures.UnexpectedStatus(target, shownProxy, status, response.ReasonPhrase));
            }

            return Complete(new ProbeSensorApiOutput { Url = target, Status = status, LatencyMs = latency, ViaProxy = proxy is not null, Note = note });
        }
    }

    private bool TryCheck(
        ProbeSensorApiInput input,
        ActivityContext context,
        [NotNullWhen(true)] out Uri? url,
        out Uri? proxy,
        out TimeSpan timeout,
        [NotNullWhen(false)] out ActivityResult? problem)
    {
        url = null;
        proxy = null;
        timeout = DefaultTimeout;
        if (!InvalidInput.TryDuration(context, "timeout", input.Timeout, DefaultTimeout, out var given, out problem))
        {
            return false;
        }

        if (given <= TimeSpan.Zero)
        {
            problem = InvalidInput.Fail(context, "'timeout' must be longer than zero.");
            return false;
        }

        timeout = given!.Value;

        var template = options.Value.SensorApiUrlTemplate;
        problem =
            !WorkspaceName().IsMatch(input.Workspace)
                ? InvalidInput.Fail(context, $"'workspace' is \"{input.Workspace}\", which is not a workspace name (letters, digits and hyphens, as in the portal's sensor API URL).")
            : !HttpUris.TryParse(template.Replace("{workspace}", input.Workspace.ToLowerInvariant(), StringComparison.Ordinal), out url)
                ? InvalidInput.Fail(context, $"the sensor API URL template \"{template}\" does not give an http or https URL; correct DefenderForIdentityOptions.SensorApiUrlTemplate.")
            : input.ProxyUrl is not null && (!HttpUris.TryParse(input.ProxyUrl, out proxy) || proxy.UserInfo.Length > 0)
                ? InvalidInput.Fail(context, "'proxyUrl' is not an http or https URL such as http://proxy.contoso.com:8080 (without credentials: give those in 'proxyCredential').")
            : input.ProxyCredential is not null && proxy is null
                ? InvalidInput.Fail(context, "'proxyCredential' is given without 'proxyUrl'.")
            : null;
        return problem is null && url is not null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex WorkspaceName();
}
