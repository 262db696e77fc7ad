using MdiFlow.Web.Api;
using MdiFlow.Web.Gates;
using MdiFlow.Web.Pages;
using MdiFlow.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace MdiFlow.Web;

/// <summary>Adds the change-board page and REST API to an ASP.NET Core application whose services hold MdiFlow (<c>AddMdiFlow</c>).</summary>
public static class MdiFlowWebExtensions
{
    /// <summary>
    /// Adds the page's services: OpenID Connect sign-in for pages, bearer tokens for <c>/api</c>, anti-forgery, the
    /// OpenAPI document. The engine, store and policy come from <c>AddMdiFlow</c>.
    /// </summary>
    /// <example><code>
    /// builder.Services.AddMdiFlow(flow => flow.UseSqlite("mdiflow.db"));
    /// builder.Services.AddMdiFlowWeb(o => { o.Authority = "https://login.microsoftonline.com/TENANT/v2.0"; o.ClientId = "..."; o.Audience = "api://mdiflow"; });
    /// var app = builder.Build();
    /// app.UseMdiFlowWeb();
    /// </code></example>
    public static IServiceCollection AddMdiFlowWeb(this IServiceCollection services, Action<MdiFlowWebOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<MdiFlowWebOptions>().Configure(configure).Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        services.AddRouting();
        services.AddDataProtection().SetApplicationName("MdiFlow.Web");
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "__Host-mdiflow-af";
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.FormFieldName = "__RequestVerificationToken";
        });
        WebAuthentication.Add(services);
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "MdiFlow change-board API";
            document.Info.Description = "What waits at which gate, and decisions at it, for clients with a bearer token from the page's OpenID Connect issuer. The shapes are those of the mdiflow CLI's --json output.";
            document.Servers?.Clear(); // the address a request came to is no part of the API
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                ["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "An access token from the page's OpenID Connect issuer, with the configured audience (for example api://mdiflow).",
                },
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
            return Task.CompletedTask;
        }));
        // The API writes JSON exactly as `mdiflow ... --json` does (docs/cli.md): camelCase, enums as strings, nulls omitted.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });
        services.TryAddSingleton<GateDesk>();
        services.TryAddSingleton<GatePermissions>();
        services.TryAddSingleton<Security.Groups.AppOnlyToken>();
        services.TryAddSingleton<Security.Groups.GraphMemberships>();
        services.TryAddSingleton<Security.Groups.DirectoryGroups>();
        services.TryAddSingleton<WebActors>();
        services.AddHttpClient(Security.Groups.AppOnlyToken.HttpClientName, (provider, client) => client.Timeout = provider.GetRequiredService<IOptions<MdiFlowWebOptions>>().Value.Graph.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler { AllowAutoRedirect = false }); // a token follows no redirect
        services.TryAddSingleton<Notifications.DeliveryLog>();
        services.AddHttpClient("mdiflow-notifications", c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddHostedService<Notifications.NotificationService>();
        return services;
    }

    /// <summary>
    /// Adds the page's middleware (security headers, the engine's refusals as answers, authentication, authorisation)
    /// and maps the pages, <c>/api</c> and <c>/openapi/v1.json</c>.
    /// </summary>
    public static WebApplication UseMdiFlowWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.Services.GetRequiredService<IOptions<MdiFlowWebOptions>>().Value;
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<Hosting.EngineErrors>();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        PageEndpoints.Map(app);
        ApiEndpoints.Map(app);
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return app;
    }
}
