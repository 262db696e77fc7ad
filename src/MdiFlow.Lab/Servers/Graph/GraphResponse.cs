using System.Text.Json.Nodes;

namespace MdiFlow.Lab.Servers.Graph;

/// <summary>What the Graph stand-in answers: a status and a JSON body, or none (the server adds the request ids).</summary>
internal sealed record GraphResponse(int Status, JsonObject? Body)
{
    /// <summary>A success with no body, as actions such as <c>sensorCandidates/activate</c> answer.</summary>
    public static GraphResponse Empty(int status) => new(status, null);

    /// <summary>The <c>Retry-After</c> header in seconds, for 429.</summary>
    public string? RetryAfter { get; init; }

    public static GraphResponse Ok(JsonObject body) => new(200, body);

    /// <summary>A Graph error body: <c>{"error":{"code":...,"message":...}}</c>; the server adds <c>innerError</c>.</summary>
    public static GraphResponse Error(int status, string code, string message, JsonObject? innerError = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (innerError is not null)
        {
            error["innerError"] = innerError;
        }

        return new GraphResponse(status, new JsonObject { ["error"] = error });
    }

    /// <summary>Graph's throttling answer: 429 <c>TooManyRequests</c> with <c>Retry-After</c> in whole seconds.</summary>
    public static GraphResponse Throttled(TimeSpan retryAfter) =>
        Error(429, "TooManyRequests", "Please retry again later.", new JsonObject
        {
            ["code"] = "429",
            ["message"] = "Please retry after",
            ["status"] = "429",
        }) with { RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>The 404 for an object (by id or user principal name) the directory does not hold.</summary>
    public static GraphResponse NotFound(string id) =>
        Error(404, "Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

    /// <summary>The 403 Graph gives for a missing permission or role: it never names what is missing.</summary>
    public static GraphResponse Denied() =>
        Error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}
