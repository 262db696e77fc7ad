using System.Reflection;
using System.Text;
using MdiFlow.Journal;
using MdiFlow.Web.Gates;
using MdiFlow.Web.Html;
using MdiFlow.Web.Hosting;
using MdiFlow.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MdiFlow.Web.Pages;

/// <summary>
/// The pages. Every one needs a page sign-in; the only state-changing endpoint is the decision POST, which needs the
/// page's anti-forgery token and goes through the engine. No GET changes anything.
/// </summary>
internal static class PageEndpoints
{
    private const string Html = "text/html; charset=utf-8";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/site.css", Stylesheet).AllowAnonymous().ExcludeFromDescription();
        var pages = app.MapGroup("").RequireAuthorization(WebAuthentication.PagePolicy).ExcludeFromDescription();
        pages.MapGet("/", InboxAsync);
        pages.MapGet("/instances/{id}", InstanceAsync);
        pages.MapGet("/instances/{id}/journal.jsonl", JournalAsync);
        pages.MapGet("/instances/{id}/definition", DefinitionAsync);
        pages.MapGet("/instances/{id}/gates/{step}", GateAsync);
        pages.MapPost("/instances/{id}/gates/{step}/decision", DecideAsync);
        pages.MapPost("/signout", SignOutAsync);
    }

    private static PageChrome Chrome(HttpContext http, IAntiforgery antiforgery, Actor actor)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return new PageChrome(actor.Name, tokens.RequestToken!, tokens.FormFieldName);
    }

    private static async Task<IResult> InboxAsync(HttpContext http, GateDesk desk, GatePermissions permissions, IAntiforgery antiforgery, WebActors actors, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = await actors.OfAsync(http.User, cancellationToken).ConfigureAwait(false);
        var rows = await desk.WaitingAsync(cancellationToken).ConfigureAwait(false);
        return Results.Content(InboxPage.Render(rows, actor, permissions, Chrome(http, antiforgery, actor), time.GetUtcNow()).ToString(), Html);
    }

    private static async Task<IResult> GateAsync(HttpContext http, string id, string step, string? done, GateDesk desk, GatePermissions permissions, IAntiforgery antiforgery, WebActors actors, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = await actors.OfAsync(http.User, cancellationToken).ConfigureAwait(false);
        var (instance, journal) = await desk.ReadAsync(id, cancellationToken).ConfigureAwait(false);
        if (WaitingGate.Of(instance) is not { } gate || gate.Step.Id != step)
        {
            // Decided (or never here): the instance page shows where it stands.
            return Results.Redirect(InstancePage.Path(instance.Id.Value) + (done is null ? "" : "?done=" + Uri.EscapeDataString(done)));
        }

        var model = new GatePage.Model(desk.Row(gate, journal), journal, actor, permissions.For(gate, actor), Chrome(http, antiforgery, actor), time.GetUtcNow(), DecisionInput.Notice(done));
        return Results.Content(GatePage.Render(model).ToString(), Html);
    }

    private static async Task<IResult> InstanceAsync(HttpContext http, string id, string? done, GateDesk desk, Notifications.DeliveryLog deliveries, IAntiforgery antiforgery, IOptions<MdiFlowWebOptions> options, CancellationToken cancellationToken)
    {
        var actor = WebIdentity.ActorOf(http.User, options.Value);
        var (instance, journal) = await desk.ReadAsync(id, cancellationToken).ConfigureAwait(false);
        var definition = desk.Engine.DefinitionOf(instance);
        var record = await desk.VerifyAsync(instance, cancellationToken).ConfigureAwait(false);
        return Results.Content(InstancePage.Render(instance, journal, record, deliveries.For(instance.Id.Value), definition.Title ?? definition.Id, Chrome(http, antiforgery, actor), DecisionInput.Notice(done)).ToString(), Html);
    }

    private static async Task<IResult> JournalAsync(string id, GateDesk desk, CancellationToken cancellationToken)
    {
        var (instance, journal) = await desk.ReadAsync(id, cancellationToken).ConfigureAwait(false);
        var lines = new StringBuilder();
        foreach (var entry in journal)
        {
            lines.Append(Api.InstanceJson.Line(instance.Id, entry)).Append('\n');
        }

        return Results.File(Encoding.UTF8.GetBytes(lines.ToString()), "application/x-ndjson", $"{instance.Id.Value}.journal.jsonl");
    }

    private static async Task<IResult> DefinitionAsync(string id, GateDesk desk, CancellationToken cancellationToken)
    {
        var (instance, _) = await desk.ReadAsync(id, cancellationToken).ConfigureAwait(false);
        return Results.Text(instance.Definition.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), "application/json; charset=utf-8");
    }

    private static async Task<IResult> DecideAsync(HttpContext http, string id, string step, GateDesk desk, IAntiforgery antiforgery, WebActors actors, CancellationToken cancellationToken)
    {
        // Set first: a decision that needs a fresher sign-in sends the person back to the gate, not to the form's target.
        http.Items[EngineErrors.ReturnToItem] = GatePage.Path(id, step);
        await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
        var form = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var actor = await actors.OfAsync(http.User, cancellationToken).ConfigureAwait(false);
        var request = DecisionInput.Request(form["action"], step, form["text"], actor);
        var instanceId = await desk.Engine.ResolveAsync(id, cancellationToken).ConfigureAwait(false);
        var result = await desk.Engine.ActAsync(instanceId, request, cancellationToken).ConfigureAwait(false);
        return Results.Redirect(GatePage.Path(instanceId.Value, step) + "?done=" + DecisionInput.Done(request.Action, result.Note));
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
    }

    private static readonly Lazy<string> Css = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MdiFlow.Web.site.css")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static IResult Stylesheet() => Results.Text(Css.Value, "text/css; charset=utf-8");
}
