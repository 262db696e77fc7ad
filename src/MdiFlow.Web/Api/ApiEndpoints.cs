using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Storage;
using MdiFlow.Web.Gates;
using MdiFlow.Web.Hosting;
using MdiFlow.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MdiFlow.Web.Api;

/// <summary>
/// The REST API under <c>/api</c>: list, get, journal and decide (or take and give back a manual task), in the CLI's <c>--json</c> shapes, for clients with a
/// bearer token from the page's issuer. Cookies never authorise it.
/// </summary>
internal static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(WebAuthentication.ApiPolicy).WithTags("Instances")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapGet("/instances", ListAsync).WithName("ListInstances")
            .WithSummary("Instances, newest first")
            .WithDescription("The shape of `mdiflow list --json`. `status` filters (pending, running, waiting, ready, scheduled, failed, completed, rejected, cancelled); `limit` caps the count (default 100).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/instances/{id}", GetAsync).WithName("GetInstance")
            .WithSummary("One instance with every step and the gate it waits at")
            .WithDescription("The shape of `mdiflow show ID --json`. `id` is the full id or a unique prefix of at least 6 characters.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/instances/{id}/journal", JournalAsync).WithName("GetJournal")
            .WithSummary("The instance's journal and whether its chain verifies")
            .WithDescription("The shape of `mdiflow audit ID --json`.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/instances/{id}/decisions", DecideAsync).WithName("Decide")
            .WithSummary("Approve, reject or complete the gate the instance waits at, or take or give back its manual task, as the token's person")
            .WithDescription("Every rule is checked by the engine: who may decide, the requester rule, and the sign-in the policy requires. A decision that needs a fresher or multi-factor sign-in answers 401 with `WWW-Authenticate: Bearer error=\"insufficient_user_authentication\"` (RFC 9470) and records nothing. `assign` takes a manual task (\"assign to me\": then only the token's person may complete or reject it) and `unassign` gives it back (any assignee may); neither needs `text`. The answer has the shape of `mdiflow approve ID --json`; a repeated approval changes nothing and says so in the `MdiFlow-Note` header. When the token could not carry the person's groups (Entra ID group overage) and Microsoft Graph cannot list them, the answer is 503 (with `Retry-After` when Graph throttles) and nothing is recorded.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<Ok<IReadOnlyList<InstanceListItem>>> ListAsync(IWorkflowStore store, string? status, int? limit, CancellationToken cancellationToken)
    {
        InstanceStatus? filter = null;
        if (status is not null)
        {
            filter = Enum.TryParse<InstanceStatus>(status, ignoreCase: true, out var parsed) && !int.TryParse(status, out _)
                ? parsed
                : throw new RequestRefusedException($"'{status}' is not an instance status; use one of {string.Join(", ", Enum.GetValues<InstanceStatus>().Select(InstanceJson.Name))}.");
        }

        var rows = await store.ListAsync(new InstanceQuery(filter, Math.Clamp(limit ?? 100, 1, 1000)), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<InstanceListItem>>([.. rows.Select(InstanceJson.Item)]);
    }

    private static async Task<Ok<InstanceDocument>> GetAsync(string id, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var instance = await engine.GetAsync(await engine.ResolveAsync(id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(InstanceJson.Document(instance));
    }

    private static async Task<Ok<AuditDocument>> JournalAsync(string id, WorkflowEngine engine, IWorkflowStore store, CancellationToken cancellationToken)
    {
        var instanceId = await engine.ResolveAsync(id, cancellationToken).ConfigureAwait(false);
        var verdict = await engine.VerifyAsync(instanceId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(InstanceJson.Audit(verdict, await store.ReadJournalAsync(instanceId, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Ok<InstanceDocument>> DecideAsync(HttpContext http, string id, DecisionRequest decision, WorkflowEngine engine, WebActors actors, CancellationToken cancellationToken)
    {
        var actor = await actors.OfAsync(http.User, cancellationToken).ConfigureAwait(false);
        var request = DecisionInput.Request(decision.Action, decision.Step, decision.Text, actor);
        var instanceId = await engine.ResolveAsync(id, cancellationToken).ConfigureAwait(false);
        var result = await engine.ActAsync(instanceId, request, cancellationToken).ConfigureAwait(false);
        if (result.Note is not null)
        {
            http.Response.Headers["MdiFlow-Note"] = result.Note;
        }

        return TypedResults.Ok(InstanceJson.Document(result.Instance));
    }
}
