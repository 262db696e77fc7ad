using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.RegularExpressions;
using Azure;
using Azure.Identity;
using MdiFlow.Activities;

namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>
/// Why a Microsoft Graph sign-in failed, in one sentence with its fix: what failed, the likely cause (no route to the
/// sign-in endpoint, a proxy, a wrong tenant, missing admin consent, a certificate that is not there) and what to do.
/// The Azure SDK's own text (long, with links and retry advice) never reaches the operator; the Entra error code does.
/// </summary>
internal static partial class SignInFailures
{
    public const string Code = "graph.authentication";

    private static readonly Uri DefaultAuthority = new("https://login.microsoftonline.com/");

    public static ActivityError Describe(GraphCall call, GraphAuthentication settings, Uri? proxy, AuthenticationFailedException exception)
    {
        var (cause, fix, retryable) = Classify(settings, proxy, exception);
        return new ActivityError(Code, $"Signing in to Microsoft Graph ({Kind(settings.Mode)}) for {call.Display} failed: {cause}.", retryable)
        {
            Fix = char.ToUpperInvariant(fix[0]) + fix[1..] + ", then resume the instance.",
            Details = EntraCode(exception) is { } code ? new Dictionary<string, string> { ["entraError"] = "AADSTS" + code } : null,
        };
    }

    private static (string Cause, string Fix, bool Retryable) Classify(GraphAuthentication settings, Uri? proxy, AuthenticationFailedException exception)
    {
        var authority = (settings.AuthorityHost ?? DefaultAuthority).GetLeftPart(UriPartial.Authority);
        var tenant = settings.TenantId ?? "(not set)";
        var client = settings.ClientId ?? "(not set)";
        if (Find<SignInSettingsException>(exception) is { } settingsProblem)
        {
            return (settingsProblem.Problem, settingsProblem.Fix, false);
        }

        if (EntraCode(exception) is { } code)
        {
            return code switch
            {
                "90002" or "90001" or "900023" => ($"Entra ID has no tenant '{tenant}' at {authority} (AADSTS{code})",
                    "set graph.tenantId to the directory (tenant) id or a verified domain of your tenant, as the Entra admin center shows on its Overview page", false),
                "65001" => ($"the app '{client}' has no admin consent in tenant '{tenant}' for the Microsoft Graph permissions it asks for (AADSTS65001)",
                    $"have an administrator grant admin consent (Entra admin center > App registrations > {client} > API permissions > Grant admin consent; the permissions are listed in docs/defender-for-identity.md)", false),
                "700016" => ($"tenant '{tenant}' has no application '{client}' (AADSTS700016)",
                    "set graph.clientId to the Application (client) id of the app registration, or have an administrator add the app to this tenant", false),
                "7000215" or "7000222" => ($"Entra ID refused the client secret of app '{client}' as invalid or expired (AADSTS{code})",
                    "create a new client secret on the app registration and point graph.clientSecret at it (env:VARIABLE or file:PATH), or better, use certificate sign-in", false),
                "700027" or "700024" or "7000274" or "700023" => ($"Entra ID did not accept the certificate of app '{client}' (AADSTS{code}): it is not one the app registration holds, or it expired",
                    "upload the certificate's public part to the app registration (Certificates & secrets), or point graph.certificate at the one that is registered", false),
                "53003" => ($"a Conditional Access policy blocked the sign-in of '{client}' (AADSTS53003)",
                    "ask the Entra administrator to allow this sign-in (or this host's location) in Conditional Access", false),
                "50076" or "50079" => ($"the account must sign in with multi-factor authentication (AADSTS{code})",
                    "sign in again with device code and complete the MFA prompt, or use certificate or managed identity sign-in", false),
                "70016" or "70020" or "70019" => ("the device-code sign-in was not completed in time (AADSTS" + code + ")",
                    "run the step again and complete the sign-in at https://microsoft.com/devicelogin within 15 minutes", true),
                "50158" or "50105" => ($"the signed-in account may not use app '{client}' (AADSTS{code})",
                    "ask an administrator to assign the account to the app, or sign in with another account", false),
                _ => ($"Entra ID refused the sign-in with AADSTS{code}",
                    $"look up AADSTS{code} at https://login.microsoftonline.com/error?code={code} and correct the sign-in settings (mdiflow config show lists them)", false),
            };
        }

        if (Find<AuthenticationException>(exception) is not null)
        {
            return ($"the TLS certificate {authority} presented is not trusted on this host (a proxy that inspects TLS, or missing root certificates)",
                "exempt login.microsoftonline.com and graph.microsoft.com from TLS inspection, or install the Microsoft root certificates (DigiCert Global Root G2)", true);
        }

        if (Find<HttpRequestException>(exception) is { } http && http.StatusCode == HttpStatusCode.ProxyAuthenticationRequired
            || Find<RequestFailedException>(exception) is { Status: 407 })
        {
            return ($"the proxy {proxy?.GetLeftPart(UriPartial.Authority) ?? "on the way"} asked for credentials this account does not have (HTTP 407)",
                "allow this host (or the account MdiFlow runs as) through the proxy without a prompt, or set graph.proxy to one that does", true);
        }

        if (Unreachable(exception))
        {
            return proxy is null
                ? ($"this host could not reach {authority} (no route to the sign-in endpoint; a proxy may be required)",
                    "allow this host to reach login.microsoftonline.com and graph.microsoft.com on TCP 443, or set graph.proxy (MDIFLOW_GRAPH__PROXY) to your proxy", true)
                : ($"this host could not reach {authority} through the proxy {proxy.GetLeftPart(UriPartial.Authority)}",
                    "check graph.proxy and that the proxy allows login.microsoftonline.com and graph.microsoft.com", true);
        }

        return settings.Mode switch
        {
            GraphAuthenticationMode.ManagedIdentity => ("no managed identity is available on this host (the Azure Instance Metadata Service or Azure Arc agent did not answer)",
                "run MdiFlow on an Azure VM or an Azure Arc-enabled server with a managed identity that has the Graph permissions, or choose another graph.signIn", false),
            GraphAuthenticationMode.AzureCli => ("the Azure CLI gave no token (it is not installed, or no account is signed in with 'az login')",
                "install the Azure CLI and run 'az login' as the account that runs MdiFlow, or choose another graph.signIn", false),
            GraphAuthenticationMode.DeviceCode => ("the device-code sign-in did not complete",
                "run the step again and complete the sign-in at https://microsoft.com/devicelogin with an account of the tenant", true),
            _ => ($"Entra ID gave no token for app '{client}' in tenant '{tenant}', for a reason MdiFlow does not recognise",
                "check the sign-in settings (mdiflow config show lists them) and run the command again with --verbose to see the details", false),
        };
    }

    private static string Kind(GraphAuthenticationMode mode) => mode switch
    {
        GraphAuthenticationMode.ClientCertificate => "certificate",
        GraphAuthenticationMode.ClientSecret => "client secret",
        GraphAuthenticationMode.ManagedIdentity => "managed identity",
        GraphAuthenticationMode.WorkloadIdentity => "workload identity",
        GraphAuthenticationMode.AzureCli => "Azure CLI",
        _ => "device code",
    };

    /// <summary>The Entra error number (<c>90002</c> of <c>AADSTS90002</c>) somewhere in the chain of exceptions.</summary>
    private static string? EntraCode(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (EntraError().Match(e.Message) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }
        }

        return null;
    }

    private static bool Unreachable(Exception exception) =>
        Find<SocketException>(exception) is not null
        || Find<HttpRequestException>(exception) is not null
        || Find<TimeoutException>(exception) is not null
        || Find<RequestFailedException>(exception) is { Status: 0 }
        || Find<TaskCanceledException>(exception) is not null;

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }

            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find<T>(inner) is { } nested)
                    {
                        return nested;
                    }
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"AADSTS(\d{4,7})", RegexOptions.CultureInvariant)]
    private static partial Regex EntraError();
}
