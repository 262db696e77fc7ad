using System.Net.Http.Json;
using System.Text.Json;

namespace MdiFlow.Web.Security.Groups;

/// <summary>Reading the JSON the issuer's token endpoint and Graph answer, whatever they answer (an error page is no exception).</summary>
internal static class JsonAnswer
{
    /// <summary>The body as JSON; <c>default</c> (undefined) when it is not JSON.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>A string property of an object; null when there is none.</summary>
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
