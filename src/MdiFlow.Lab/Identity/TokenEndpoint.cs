using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MdiFlow.Lab.Identity;

/// <summary>
/// <c>/oauth2/v2.0/token</c>: redeems an authorization code once, for the client it was issued to, with the same
/// redirect URI and the PKCE verifier whose S256 hash is the challenge, answering ID and access tokens; and the
/// client-credentials grant for registered confidential clients (<c>scope={resource}/.default</c>), answering an
/// app-only access token whose <c>roles</c> are the application permissions the client was granted.
/// </summary>
internal sealed class TokenEndpoint(LabIdentityOptions options, ClientRegistry clients, SignInState state, TokenFactory tokens)
{
    public async Task HandleAsync(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.HasFormContentType)
        {
            await ErrorAsync(http, 400, "invalid_request", "AADSTS900561: The endpoint only accepts POST requests with a form body.").ConfigureAwait(false);
            return;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var (clientId, secret) = ClientCredentials(http.Request, form);
        var grant = form["grant_type"].ToString();
        if (grant is not ("authorization_code" or "client_credentials"))
        {
            await ErrorAsync(http, 400, "unsupported_grant_type", $"AADSTS70003: The grant type '{grant}' is not supported by the lab; use authorization_code or client_credentials.").ConfigureAwait(false);
            return;
        }

        var client = clients.Find(clientId);
        if (client is null || (client.ClientSecret is { } expected && !FixedTimeEquals(expected, secret)))
        {
            await ErrorAsync(http, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided, or the client is unknown.").ConfigureAwait(false);
            return;
        }

        if (grant == "client_credentials")
        {
            await ClientCredentialsAsync(http, client, form["scope"].ToString()).ConfigureAwait(false);
            return;
        }

        var issued = state.Redeem(form["code"].ToString());
        if (issued is null || issued.Request.Client.ClientId != client.ClientId)
        {
            await ErrorAsync(http, 400, "invalid_grant", "AADSTS54005: The authorization code is unknown, expired, or was already redeemed.").ConfigureAwait(false);
            return;
        }

        if (form["redirect_uri"] != issued.Request.RedirectUri.ToString())
        {
            await ErrorAsync(http, 400, "invalid_grant", "AADSTS500112: The redirect_uri does not match the one of the authorization request.").ConfigureAwait(false);
            return;
        }

        var verifier = form["code_verifier"].ToString();
        if (verifier.Length == 0 || !FixedTimeEquals(issued.Request.CodeChallenge, SigningKey.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))))
        {
            await ErrorAsync(http, 400, "invalid_grant", "AADSTS501481: The code_verifier does not match the code_challenge supplied in the authorization request.").ConfigureAwait(false);
            return;
        }

        var body = new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = issued.Request.Scope,
            ["expires_in"] = (int)options.TokenLifetime.TotalSeconds,
            ["access_token"] = tokens.AccessToken(issued.SignIn, client.ClientId),
            ["id_token"] = tokens.IdToken(issued.SignIn, client.ClientId, issued.Request.Nonce),
        };
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An app-only token for a confidential client: for Graph with the client's application permissions as roles, or for the page's own API.</summary>
    private async Task ClientCredentialsAsync(HttpContext http, LabClient client, string scope)
    {
        if (client.ClientSecret is null)
        {
            await ErrorAsync(http, 401, "invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.").ConfigureAwait(false);
            return;
        }

        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length != 1 || !scopes[0].EndsWith("/.default", StringComparison.Ordinal))
        {
            await ErrorAsync(http, 400, "invalid_scope", $"AADSTS1002012: The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).").ConfigureAwait(false);
            return;
        }

        var resource = scopes[0][..^"/.default".Length];
        var (audience, roles) = resource switch
        {
            TokenFactory.GraphResource or TokenFactory.GraphAppId => (TokenFactory.GraphResource, client.ApplicationPermissions),
            _ when resource == options.ApiAudience => (options.ApiAudience, (IReadOnlyList<string>)[]),
            _ => (null, []),
        };
        if (audience is null)
        {
            await ErrorAsync(http, 400, "invalid_resource", $"AADSTS500011: The resource principal named {resource} was not found in the tenant named {options.TenantId:D}.").ConfigureAwait(false);
            return;
        }

        var body = new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)options.TokenLifetime.TotalSeconds,
            ["ext_expires_in"] = (int)options.TokenLifetime.TotalSeconds,
            ["access_token"] = tokens.AppToken(client, audience, roles),
        };
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
    }

    private static (string? ClientId, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return (Uri.UnescapeDataString(pair[..colon]), Uri.UnescapeDataString(pair[(colon + 1)..]));
                }
            }
            catch (FormatException)
            {
                return (null, null);
            }
        }

        return (form["client_id"].ToString(), form["client_secret"].ToString() is { Length: > 0 } s ? s : null);
    }

    private static bool FixedTimeEquals(string expected, string? actual) =>
        actual is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    private static Task ErrorAsync(HttpContext http, int status, string error, string description)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(new JsonObject { ["error"] = error, ["error_description"] = description }.ToJsonString(), http.RequestAborted);
    }
}
