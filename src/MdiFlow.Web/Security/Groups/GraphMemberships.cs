using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MdiFlow.Web.Security.Groups;

/// <summary>What Graph answered for a person's groups: the groups, or why not.</summary>
/// <param name="Groups">Each group's object id and, for a group synced from Active Directory, its AD name (<c>onPremisesSamAccountName</c>); never a display name.</param>
/// <param name="Status">The failing answer's status (0 when Graph could not be reached).</param>
/// <param name="Error">Graph's error code and message, or what went wrong on the way.</param>
/// <param name="RetryAfter">Graph's <c>Retry-After</c> on 429.</param>
internal sealed record GraphListing(IReadOnlyList<string>? Groups, int Status = 200, string? Error = null, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Groups is not null;

    public static GraphListing Failed(int status, string error, TimeSpan? retryAfter = null) => new(null, status, error, retryAfter);
}

/// <summary>
/// <c>GET /users/{oid}/transitiveMemberOf/microsoft.graph.group?$select=id,onPremisesSamAccountName</c>, following
/// <c>@odata.nextLink</c> to the end. Without <c>ConsistencyLevel: eventual</c> (which this call does not need), Graph
/// answers from the directory itself, so a removal from a group counts at once rather than when an index catches up.
/// </summary>
internal sealed class GraphMemberships(IHttpClientFactory clients, IOptions<MdiFlowWebOptions> options, TimeProvider time)
{
    // 999 groups a page (Graph's maximum): a thousand pages is far beyond any directory, and a loop is stopped.
    private const int MaxPages = 1000;

    public async Task<GraphListing> ListAsync(string objectId, string token, CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.Graph.BaseUrl;
        var client = clients.CreateClient(AppOnlyToken.HttpClientName);
        var groups = new List<string>();
        Uri? next = new(baseUrl, $"users/{Uri.EscapeDataString(objectId)}/transitiveMemberOf/microsoft.graph.group?$select=id,onPremisesSamAccountName&$top=999");
        for (var page = 0; next is not null; page++)
        {
            if (page == MaxPages)
            {
                return GraphListing.Failed(200, $"Graph kept paging past {MaxPages} pages");
            }

            // The token goes to Graph's own address only, whatever a next link says.
            if (Uri.Compare(next, baseUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                return GraphListing.Failed(200, $"Graph's next link leads to {next.GetLeftPart(UriPartial.Authority)}, not to {baseUrl.GetLeftPart(UriPartial.Authority)}");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return GraphListing.Failed(0, ex is TaskCanceledException ? $"no answer within {options.Value.Graph.Timeout.TotalSeconds:0} s" : ex.Message);
            }

            using (response)
            {
                var body = await JsonAnswer.ReadAsync(response, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return GraphListing.Failed((int)response.StatusCode, ErrorOf(body, response), RetryAfterOf(response));
                }

                if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
                {
                    return GraphListing.Failed(200, "Graph's answer has no 'value' list");
                }

                foreach (var group in value.EnumerateArray())
                {
                    if (JsonAnswer.Text(group, "id") is { Length: > 0 } id)
                    {
                        groups.Add(id);
                    }

                    // A name counts only when it is the group's Active Directory name (unique in its domain, set by AD's
                    // administrators); a display name never does: it is not unique, and users may create cloud groups.
                    if (JsonAnswer.Text(group, "onPremisesSamAccountName") is { Length: > 0 } name)
                    {
                        groups.Add(name);
                    }
                }

                next = JsonAnswer.Text(body, "@odata.nextLink") is { } link ? (Uri.TryCreate(link, UriKind.Absolute, out var parsed) ? parsed : null) : null;
            }
        }

        return new GraphListing([.. groups.Distinct(StringComparer.OrdinalIgnoreCase)]);
    }

    private static string ErrorOf(JsonElement body, HttpResponseMessage response) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            ? $"{JsonAnswer.Text(error, "code") ?? "error"}: {JsonAnswer.Text(error, "message")}"
            : response.ReasonPhrase ?? "no error body";

    private TimeSpan? RetryAfterOf(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } date ? date - time.GetUtcNow() : null);
}
