using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MdiFlow.Web.Security;

/// <summary>
/// Headers on every answer: a content security policy that allows no script and posts forms only to the page itself
/// (and to the issuer, where a re-authentication redirect after a form goes), no framing, no sniffing, no referrer,
/// no caching of pages that hold change records, and HSTS over HTTPS.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next, IOptions<MdiFlowWebOptions> options)
{
    private readonly string _policy = Policy(options.Value);

    public Task InvokeAsync(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = _policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
        headers.CacheControl = "no-store";
        if (http.Request.IsHttps)
        {
            headers.StrictTransportSecurity = "max-age=31536000";
        }

        return next(http);
    }

    private static string Policy(MdiFlowWebOptions options)
    {
        var issuer = Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) ? " " + authority.GetLeftPart(UriPartial.Authority) : "";
        return $"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'{issuer}; frame-ancestors 'none'; base-uri 'none'";
    }
}
