using System.Text.Json.Nodes;
using MdiFlow.Engine;
using MdiFlow.Storage;
using MdiFlow.Web.Html;
using MdiFlow.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static MdiFlow.Web.Html.Markup;

namespace MdiFlow.Web.Hosting;

/// <summary>
/// Turns what the engine refuses into answers: 403 for identity or policy, 404 for no such instance, 409 for a state
/// that forbids the action, 503 when the person's groups cannot be read from Graph, and for a decision that needs a fresher or stronger sign-in a re-authentication (pages: a
/// challenge with <c>prompt=login</c>/<c>max_age</c>; API: 401 with an RFC 9470 step-up challenge), never a decision.
/// Pages get an HTML page, <c>/api</c> gets problem details.
/// </summary>
internal sealed partial class EngineErrors(RequestDelegate next, ILogger<EngineErrors> logger)
{
    /// <summary>Where a page that needs a re-authentication sends the person back to (set by the handler).</summary>
    public const string ReturnToItem = "mdiflow.returnTo";

    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http).ConfigureAwait(false);
        }
        catch (Exception ex) when (!http.Response.HasStarted && Map(ex) is { } status)
        {
            await AnswerAsync(http, ex, status).ConfigureAwait(false);
            return;
        }

        if (http.Response.StatusCode is 404 or 405 && !http.Response.HasStarted && http.Response.ContentLength is null or 0)
        {
            // Routing answered without a body: say why, in the same form as the engine's refusals.
            var message = http.Response.StatusCode == 405
                ? "This address does not take that method. A decision is only ever taken with the gate page's buttons (a POST with its anti-forgery token); opening a link changes nothing."
                : "There is no page at this address.";
            await AnswerAsync(http, new BadHttpRequestException(message, http.Response.StatusCode), http.Response.StatusCode).ConfigureAwait(false);
        }
    }

    private static int? Map(Exception ex) => ex switch
    {
        ReauthenticationRequiredException => StatusCodes.Status401Unauthorized,
        ActionNotAllowedException or UnauthorizedAccessException => StatusCodes.Status403Forbidden,
        InstanceNotFoundException => StatusCodes.Status404NotFound,
        InstanceStateException or ConcurrencyException => StatusCodes.Status409Conflict,
        AntiforgeryValidationException => StatusCodes.Status400BadRequest,
        BadHttpRequestException bad => bad.StatusCode,
        RequestRefusedException => StatusCodes.Status400BadRequest,
        Security.Groups.GroupsUnresolvedException => StatusCodes.Status503ServiceUnavailable,
        _ => null,
    };

    private async Task AnswerAsync(HttpContext http, Exception ex, int status)
    {
        var api = http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
        var message = ex is AntiforgeryValidationException
            ? "The form was not sent by this page (its anti-forgery token is missing or invalid). Open the page again and repeat the action."
            : ex.Message;
        Refused(logger, http.Request.Method, http.Request.Path, status, ex.GetType().Name, message);
        if (ex is ReauthenticationRequiredException reauth)
        {
            if (!api)
            {
                var returnTo = http.Items[ReturnToItem] as string ?? "/";
                await WebAuthentication.ReauthenticateAsync(http, returnTo, reauth.MaxAge).ConfigureAwait(false);
                return;
            }

            var challenge = "Bearer error=\"insufficient_user_authentication\", error_description=\"" + message.Replace("\"", "'", StringComparison.Ordinal) + "\"";
            if (reauth.MaxAge is { } age)
            {
                challenge += $", max_age={(long)age.TotalSeconds}";
            }

            http.Response.Headers.WWWAuthenticate = challenge;
        }

        if (ex is Security.Groups.GroupsUnresolvedException { RetryAfter: { } wait })
        {
            http.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        http.Response.StatusCode = status;
        if (api)
        {
            http.Response.ContentType = "application/problem+json";
            await http.Response.WriteAsync(new JsonObject
            {
                ["type"] = $"https://httpstatuses.io/{status}",
                ["title"] = Title(status),
                ["status"] = status,
                ["detail"] = message,
            }.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
            return;
        }

        http.Response.ContentType = "text/html; charset=utf-8";
        var page = Layout.Page(Title(status), null, H($"""
            <h1>{Title(status)}</h1>
            <p class="error" role="alert">{message}</p>
            <p>Nothing was recorded. <a href="/">Back to the inbox</a></p>
            """));
        await http.Response.WriteAsync(page.ToString(), http.RequestAborted).ConfigureAwait(false);
    }

    private static string Title(int status) => status switch
    {
        400 => "Not accepted",
        401 => "Sign in again",
        403 => "Not allowed",
        404 => "Not found",
        405 => "Not a decision",
        409 => "Not possible now",
        503 => "Not available now",
        _ => "Refused",
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} refused with {Status} ({Exception}): {Reason}")]
    private static partial void Refused(ILogger logger, string method, string path, int status, string exception, string reason);
}

/// <summary>The page itself refuses a request before it reaches the engine (a rejection without a reason, an unknown status): 400.</summary>
internal sealed class RequestRefusedException(string message) : Exception(message);
