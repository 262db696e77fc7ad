using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MdiFlow.Web.Security;

/// <summary>
/// Pages sign in with OpenID Connect (authorization code with PKCE) into a secure, HTTP-only, SameSite cookie; the API
/// takes only bearer tokens from the same issuer, so a browser's cookie never authorises an API call.
/// </summary>
internal static class WebAuthentication
{
    public const string PagePolicy = "mdiflow-page";
    public const string ApiPolicy = "mdiflow-api";
    public const string CookieName = "__Host-mdiflow";

    private const string PromptItem = "mdiflow.prompt";
    private const string MaxAgeItem = "mdiflow.max_age";

    public static void Add(IServiceCollection services)
    {
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect()
            .AddJwtBearer();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme).Configure<IOptions<MdiFlowWebOptions>>((o, web) =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = web.Value.SessionLifetime;
            o.SlidingExpiration = true;
            o.ForwardChallenge = OpenIdConnectDefaults.AuthenticationScheme;
        });
        services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme).Configure<IOptions<MdiFlowWebOptions>>((o, web) =>
        {
            var options = web.Value;
            o.Authority = options.Authority;
            o.ClientId = options.ClientId;
            o.ClientSecret = options.ClientSecret;
            o.RequireHttpsMetadata = options.RequireHttpsMetadata;
            o.ResponseType = "code";
            o.UsePkce = true;
            o.MapInboundClaims = false;
            o.SaveTokens = false;
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("profile");
            o.TokenValidationParameters.NameClaimType = options.NameClaim;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.Always;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Events.OnRedirectToIdentityProvider = context =>
            {
                if (context.Properties.Items.TryGetValue(PromptItem, out var prompt) && prompt is not null)
                {
                    context.ProtocolMessage.Prompt = prompt;
                }

                if (context.Properties.Items.TryGetValue(MaxAgeItem, out var maxAge) && maxAge is not null)
                {
                    context.ProtocolMessage.MaxAge = maxAge;
                }

                return Task.CompletedTask;
            };
        });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<MdiFlowWebOptions>>((o, web) =>
        {
            var options = web.Value;
            o.Authority = options.Authority;
            o.Audience = options.Audience;
            o.RequireHttpsMetadata = options.RequireHttpsMetadata;
            o.MapInboundClaims = false;
            o.TokenValidationParameters.NameClaimType = options.NameClaim;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(PagePolicy, p => p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser())
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser());
    }

    /// <summary>Sends the person to the issuer for a fresh sign-in (<c>prompt=login</c>, and <c>max_age</c> when the policy sets one), then back to <paramref name="returnTo"/>.</summary>
    public static Task ReauthenticateAsync(HttpContext http, string returnTo, TimeSpan? maxAge)
    {
        var properties = new AuthenticationProperties { RedirectUri = returnTo };
        properties.Items[PromptItem] = "login";
        if (maxAge is { } age)
        {
            properties.Items[MaxAgeItem] = ((long)age.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return http.ChallengeAsync(OpenIdConnectDefaults.AuthenticationScheme, properties);
    }
}
