using System.Net;
using System.Text.Json.Nodes;
using MdiFlow.Lab.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Lab.Tests.Identity;

/// <summary>
/// An application signing people in through the lab issuer with ASP.NET Core's own OpenIdConnect, cookie and JwtBearer
/// handlers, configured as for Entra ID (only the authority and plain-HTTP metadata differ).
/// <c>/who</c> needs a sign-in and answers the claims; <c>/challenge</c> always asks the issuer (with <c>prompt</c> and
/// <c>max_age</c> from its query); <c>/api/who</c> needs a bearer token.
/// </summary>
internal sealed class RelyingParty : IAsyncDisposable
{
    public const string ClientId = "lab-tests-rp";
    public const string ClientSecret = "lab-tests-secret";

    private readonly WebApplication _app;

    private RelyingParty(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<RelyingParty> StartAsync(LabIdentityProvider issuer, string responseMode = OpenIdConnectResponseMode.FormPost)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRouting();
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(o =>
            {
                o.Authority = issuer.Authority;
                o.RequireHttpsMetadata = false;
                o.ClientId = ClientId;
                o.ClientSecret = ClientSecret;
                o.ResponseType = "code";
                o.ResponseMode = responseMode;
                o.UsePkce = true;
                o.MapInboundClaims = false;
                o.SaveTokens = true;
                // The test application speaks plain HTTP; the change-board page keeps the Secure defaults.
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Events.OnRedirectToIdentityProvider = context =>
                {
                    if (context.Properties.Items.TryGetValue("prompt", out var prompt) && prompt is not null)
                    {
                        context.ProtocolMessage.Prompt = prompt;
                    }

                    if (context.Properties.Items.TryGetValue("max_age", out var maxAge) && maxAge is not null)
                    {
                        context.ProtocolMessage.MaxAge = maxAge;
                    }

                    return Task.CompletedTask;
                };
            })
            .AddJwtBearer(o =>
            {
                o.Authority = issuer.Authority;
                o.RequireHttpsMetadata = false;
                o.Audience = issuer.ApiAudience;
                o.MapInboundClaims = false;
            });
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/who", (HttpContext http) => Claims(http)).RequireAuthorization();
        app.MapGet("/challenge", (HttpContext http) =>
        {
            var properties = new AuthenticationProperties { RedirectUri = "/who" };
            if (http.Request.Query["prompt"].ToString() is { Length: > 0 } prompt)
            {
                properties.Items["prompt"] = prompt;
            }

            if (http.Request.Query["max_age"].ToString() is { Length: > 0 } maxAge)
            {
                properties.Items["max_age"] = maxAge;
            }

            return Results.Challenge(properties, [OpenIdConnectDefaults.AuthenticationScheme]);
        });
        app.MapGet("/api/who", (HttpContext http) => Claims(http)).RequireAuthorization(p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser());
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var address = new Uri(bound.TrimEnd('/') + "/");
        issuer.Register(new LabClient { ClientId = ClientId, ClientSecret = ClientSecret, RedirectUris = [new Uri(address, "signin-oidc")] });
        return new RelyingParty(app, address);
    }

    private static IResult Claims(HttpContext http)
    {
        var claims = new JsonObject();
        foreach (var group in http.User.Claims.GroupBy(c => c.Type))
        {
            claims[group.Key] = new JsonArray([.. group.Select(c => (JsonNode?)c.Value)]);
        }

        claims["(issuer)"] = http.User.Claims.FirstOrDefault()?.Issuer;
        return Results.Text(claims.ToJsonString(), "application/json");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
