using System.Globalization;
using System.Net;
using Azure.Identity;
using MdiFlow.Activities;

namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>Turns what went wrong with a Graph call into an error an operator can act on. Never quotes a response body.</summary>
internal static class GraphFailures
{
    public const string AccessDeniedCode = "graph.accessDenied";

    public static ActivityError Status(GraphCall call, GraphAuthenticationMode mode, HttpResponseMessage response, GraphErrorDetail? error)
    {
        var status = (int)response.StatusCode;
        var said = error?.Code is { } code ? $"{status} {code}: {error.Message?.TrimEnd('.')}" : $"{status} {response.ReasonPhrase}";
        var details = new Dictionary<string, string> { ["status"] = status.ToString(CultureInfo.InvariantCulture) };
        if (error?.Code is { } errorCode)
        {
            details["graphCode"] = errorCode;
        }

        if (error?.InnerError?.RequestId is { } requestId)
        {
            details["requestId"] = requestId;
        }

        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                return new ActivityError(
                    AccessDeniedCode,
                    $"Microsoft Graph refused {call.Display} ({said}). That call needs the permission {call.Permissions}, which the token MdiFlow used does not carry.", Permanent: true)
                {
                    Fix = GrantFix(call, mode),
                    Details = details,
                };
            case HttpStatusCode.TooManyRequests:
                if (RetryAfter(response) is { } wait)
                {
                    details["retryAfterSeconds"] = ((long)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                return new ActivityError("graph.throttled", $"Microsoft Graph kept throttling {call.Display} ({said}), even after waiting as its Retry-After asked.")
                {
                    Fix = "Retry the step later; if other tools share this app registration, spread their calls out.",
                    Details = details,
                };
            case >= HttpStatusCode.InternalServerError:
                return new ActivityError("graph.unavailable", $"Microsoft Graph failed {call.Display} ({said}), even after retries.")
                {
                    Fix = "Microsoft Graph reports a fault of its own; retry the step later, and check the Microsoft 365 service health page if it persists.",
                    Details = details,
                };
            case HttpStatusCode.NotFound when call.NotFound is not null:
                return new ActivityError("graph.notFound", $"Microsoft Graph answered {call.Display} with {said}. {call.NotFound}", Permanent: true) { Details = details };
            case HttpStatusCode.BadRequest when call.BadRequest is not null:
                return new ActivityError("graph.badRequest", $"Microsoft Graph refused {call.Display} ({said}). {call.BadRequest}", Permanent: true) { Details = details };
            default:
                return new ActivityError("graph.failed", $"Microsoft Graph answered {call.Display} with {said}.")
                {
                    Fix = "Check the step's inputs; the Graph error code in the details says what Graph objected to.",
                    Details = details,
                };
        }
    }

    public static ActivityError Authentication(GraphCall call, DefenderForIdentityOptions options, AuthenticationFailedException exception) =>
        SignInFailures.Describe(call, options.Authentication, options.GraphProxy, exception);

    public static ActivityError Unreachable(GraphCall call, Uri address, string reason) =>
        new("graph.unreachable", $"MdiFlow could not reach Microsoft Graph at {address.GetLeftPart(UriPartial.Authority)} for {call.Display}: {reason.TrimEnd('.')}.")
        {
            Fix = "Check that this host reaches graph.microsoft.com on TCP 443 (directly or through the system proxy), then retry the step.",
        };

    public static ActivityError UnexpectedShape(GraphCall call, string problem) =>
        new("graph.unexpectedResponse", $"Microsoft Graph answered {call.Display}, but {problem}.")
        {
            Fix = "Check that the Graph address in the MDI plugin's options is Microsoft Graph (https://graph.microsoft.com/) and retry; if it persists, report it.",
        };

    private static string GrantFix(GraphCall call, GraphAuthenticationMode mode) => mode == GraphAuthenticationMode.DeviceCode
        ? $"Add the delegated permission {call.Permissions} to the app registration used for sign-in and have an administrator grant consent; the signed-in account also needs a directory role that allows the call. Then retry the step."
        : $"Add the application permission {call.Permissions} to the app registration (or managed identity) MdiFlow uses and have an administrator grant consent, then retry the step.";

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        _ => null,
    };
}
