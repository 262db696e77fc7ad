using System.Text.Json.Nodes;
using MdiFlow.Lab.Servers;
using Microsoft.AspNetCore.Http;

namespace MdiFlow.Lab.Identity;

/// <summary>
/// The lab's OpenID Connect issuer on 127.0.0.1, laid out as Entra ID's v2.0 endpoints are
/// (<c>{tenant}/v2.0/.well-known/openid-configuration</c>, <c>{tenant}/oauth2/v2.0/authorize</c>, ...): discovery, JWKS
/// (RSA, RS256), the authorization-code flow with PKCE (S256 required), a login page where a lab person signs in with or
/// without multi-factor authentication, <c>max_age</c> and <c>prompt=login</c>, and signed ID and access tokens.
/// ASP.NET Core's OpenIdConnect and JwtBearer handlers use it as they use Entra ID: point <c>Authority</c> at
/// <see cref="Authority"/>.
/// </summary>
/// <example><code>
/// await using var issuer = await LabIdentityProvider.StartAsync(new LabIdentityOptions());
/// issuer.Register(new LabClient { ClientId = "mdiflow-web", ClientSecret = "lab-secret", RedirectUris = [new("https://127.0.0.1:5001/signin-oidc")] });
/// // OpenIdConnectOptions: Authority = issuer.Authority, ClientId = "mdiflow-web", ClientSecret = "lab-secret", RequireHttpsMetadata = false
/// </code></example>
public sealed class LabIdentityProvider : IAsyncDisposable
{
    private readonly LabIdentityOptions _options;
    private readonly SigningKey _key = new();
    private readonly ClientRegistry _clients;
    private readonly SignInState _state;
    private LoopbackWebHost? _host;
    private AuthorizeEndpoint? _authorize;
    private TokenEndpoint? _token;
    private TokenFactory? _tokens;

    private LabIdentityProvider(LabIdentityOptions options)
    {
        _options = options;
        _clients = new ClientRegistry(options.Clients);
        _state = new SignInState(options.TimeProvider);
    }

    /// <summary>The issuer (<c>iss</c>) and the authority to configure: <c>http://127.0.0.1:PORT/{tenant}/v2.0</c>.</summary>
    public string Authority => Root + _options.TenantId.ToString("D") + "/v2.0";

    /// <summary>The tenant id (<c>tid</c>).</summary>
    public Guid TenantId => _options.TenantId;

    /// <summary>The audience of the access tokens.</summary>
    public string ApiAudience => _options.ApiAudience;

    /// <summary>The people who can sign in.</summary>
    public IReadOnlyList<LabPerson> People => _options.People;

    /// <summary>Every sign-in at the login page, in order (a sign-in answered from the issuer's session is not one).</summary>
    public IReadOnlyList<LabSignInRecord> SignIns => _state.SignIns;

    /// <summary>The issuer's clock.</summary>
    internal TimeProvider TimeProvider => _options.TimeProvider;

    private Uri Root => _host?.Address ?? throw new InvalidOperationException("The lab issuer is not started.");

    private string Tenant => _options.TenantId.ToString("D");

    /// <summary>Starts the issuer.</summary>
    public static async Task<LabIdentityProvider> StartAsync(LabIdentityOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.People.Count == 0)
        {
            throw new ArgumentException("LabIdentityOptions.People lists nobody who could sign in.", nameof(options));
        }

        var provider = new LabIdentityProvider(options);
        provider._host = await LoopbackWebHost.StartAsync(provider.HandleAsync, options.Port, cancellationToken).ConfigureAwait(false);
        provider._tokens = new TokenFactory(provider._key, options, provider.Authority);
        provider._authorize = new AuthorizeEndpoint(options, provider._clients, provider._state, "/" + provider.Tenant + "/");
        provider._token = new TokenEndpoint(options, provider._clients, provider._state, provider._tokens);
        return provider;
    }

    /// <summary>Registers an application (or replaces the registration of its client id), as an app registration in Entra ID.</summary>
    public void Register(LabClient client) => _clients.Register(client);

    /// <summary>
    /// An access token for the API without a browser, as a command-line client would get one: for a lab person, signed
    /// in now (or at <see cref="LabTokenRequest.AuthTime"/>), with or without MFA.
    /// </summary>
    /// <exception cref="ArgumentException">No lab person has that user name.</exception>
    public string IssueAccessToken(LabTokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var person = _options.People.FirstOrDefault(p => string.Equals(p.UserName, request.UserName, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No lab person is called '{request.UserName}'; the lab knows {string.Join(", ", _options.People.Select(p => p.UserName))}.", nameof(request));
        var now = request.IssuedAt ?? _options.TimeProvider.GetUtcNow();
        var session = new SignInSession(person, request.AuthTime ?? now, request.Mfa ? ["pwd", "mfa"] : ["pwd"]);
        return _tokens!.AccessToken(session, clientId: null, request.Audience, now);
    }

    /// <summary>
    /// The claims of an access token this issuer signed for <paramref name="audience"/>, still valid on its clock; null,
    /// with Graph's words in <paramref name="problem"/>, when it is not one.
    /// </summary>
    internal JsonObject? Validate(string token, string audience, out string problem)
    {
        problem = "";
        var claims = _key.Verify(token);
        if (claims is null)
        {
            problem = "Access token validation failure. Invalid signature.";
            return null;
        }

        if (claims["aud"]?.GetValue<string>() != audience)
        {
            problem = "Access token validation failure. Invalid audience.";
            return null;
        }

        if (claims["tid"]?.GetValue<string>() != Tenant || claims["iss"]?.GetValue<string>() != Authority)
        {
            problem = "Access token validation failure. Invalid issuer.";
            return null;
        }

        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (claims["exp"]?.GetValue<long>() is not { } expires || expires <= now || claims["nbf"]?.GetValue<long>() > now)
        {
            problem = "Lifetime validation failed, the token is expired.";
            return null;
        }

        return claims;
    }

    /// <summary>Stops the issuer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
        }

        _key.Dispose();
    }

    private Task HandleAsync(HttpContext http)
    {
        var segments = (http.Request.Path.Value ?? "").Trim('/').Split('/');
        if (segments.Length < 2 || !string.Equals(segments[0], Tenant, StringComparison.OrdinalIgnoreCase))
        {
            return JsonAsync(http, 400, Error("invalid_tenant", $"AADSTS90002: Tenant '{segments[0]}' not found. The lab tenant is {Tenant}."));
        }

        return segments[1..] switch
        {
            ["v2.0", ".well-known", "openid-configuration"] => JsonAsync(http, 200, Discovery()),
            ["discovery", "v2.0", "keys"] => JsonAsync(http, 200, new JsonObject { ["keys"] = new JsonArray(_key.ToJwk()) }),
            ["oauth2", "v2.0", "authorize"] => _authorize!.HandleAsync(http),
            ["oauth2", "v2.0", "token"] => _token!.HandleAsync(http),
            ["oauth2", "v2.0", "logout"] => SignOutAsync(http),
            _ => JsonAsync(http, 404, Error("not_found", $"The lab issuer has no endpoint {http.Request.Path}.")),
        };
    }

    private JsonObject Discovery()
    {
        var root = Root + Tenant;
        JsonArray List(params string[] values) => new([.. values.Select(v => (JsonNode?)v)]);
        return new JsonObject
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = root + "/oauth2/v2.0/authorize",
            ["token_endpoint"] = root + "/oauth2/v2.0/token",
            ["jwks_uri"] = root + "/discovery/v2.0/keys",
            ["end_session_endpoint"] = root + "/oauth2/v2.0/logout",
            ["response_types_supported"] = List("code"),
            ["response_modes_supported"] = List("query", "form_post"),
            ["grant_types_supported"] = List("authorization_code", "client_credentials"),
            ["subject_types_supported"] = List("public"),
            ["id_token_signing_alg_values_supported"] = List("RS256"),
            ["code_challenge_methods_supported"] = List("S256"),
            ["token_endpoint_auth_methods_supported"] = List("client_secret_post", "client_secret_basic", "none"),
            ["scopes_supported"] = List("openid", "profile", "email", "offline_access"),
            ["claims_supported"] = List("iss", "aud", "sub", "exp", "iat", "nbf", "auth_time", "amr", "nonce", "oid", "tid", "upn", "preferred_username", "name", "groups"),
            ["prompt_values_supported"] = List("login", "none", "select_account"),
            ["tenant_region_scope"] = "LAB",
        };
    }

    private Task SignOutAsync(HttpContext http)
    {
        _state.SignOut(http.Request.Cookies[AuthorizeEndpoint.SessionCookie]);
        http.Response.Cookies.Delete(AuthorizeEndpoint.SessionCookie, new CookieOptions { Path = "/" + Tenant + "/" });
        if (Uri.TryCreate(http.Request.Query["post_logout_redirect_uri"], UriKind.Absolute, out var back) && back.Scheme is "http" or "https")
        {
            var state = http.Request.Query["state"].ToString();
            http.Response.Redirect(state.Length > 0 ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(back.ToString(), "state", state) : back.ToString());
            return Task.CompletedTask;
        }

        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(LoginPage.Message("Signed out", "You are signed out of the MdiFlow lab."), http.RequestAborted);
    }

    private static JsonObject Error(string error, string description) => new() { ["error"] = error, ["error_description"] = description };

    private static Task JsonAsync(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }
}

/// <summary>What an access token minted with <see cref="LabIdentityProvider.IssueAccessToken"/> says.</summary>
public sealed record LabTokenRequest
{
    /// <summary>The lab person.</summary>
    public required string UserName { get; init; }

    /// <summary>Whether the sign-in used multi-factor authentication (<c>amr</c> has <c>mfa</c>, else only <c>pwd</c>).</summary>
    public bool Mfa { get; init; } = true;

    /// <summary>When the person signed in (<c>auth_time</c>); the issue time when null.</summary>
    public DateTimeOffset? AuthTime { get; init; }

    /// <summary>When the token is issued (<c>iat</c>; <c>exp</c> follows by the token lifetime); the issuer's clock when null.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>The audience; the issuer's API audience when null.</summary>
    public string? Audience { get; init; }
}
