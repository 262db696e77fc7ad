using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MdiFlow.Lab.Servers.Graph;

/// <summary>
/// Writes a <see cref="GraphResponse"/> as Graph does: the <c>request-id</c> and <c>client-request-id</c> headers, the
/// error body's <c>innerError</c> (date and request ids), <c>Retry-After</c> on 429, Graph's <c>WWW-Authenticate</c>
/// on 401, and the OData JSON content type on success.
/// </summary>
internal static class GraphAnswer
{
    private const string JsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    public static async Task WriteAsync(HttpContext http, GraphResponse response, TimeProvider time)
    {
        var requestId = Guid.NewGuid().ToString("D");
        var clientRequestId = http.Request.Headers["client-request-id"] is [{ Length: > 0 } sent] ? sent : Guid.NewGuid().ToString("D");
        if (response.Body?["error"] is JsonObject error)
        {
            var inner = error["innerError"] as JsonObject ?? [];
            inner["date"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
            inner["request-id"] = requestId;
            inner["client-request-id"] = clientRequestId;
            error["innerError"] = inner;
        }

        http.Response.StatusCode = response.Status;
        http.Response.Headers["request-id"] = requestId;
        http.Response.Headers["client-request-id"] = clientRequestId;
        if (response.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = retryAfter;
        }

        if (response.Status == 401)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
        }

        if (response.Body is null)
        {
            http.Response.ContentLength = 0;
            return;
        }

        http.Response.ContentType = response.Status == 200 ? JsonContentType : "application/json";
        await http.Response.WriteAsync(response.Body.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
    }
}
