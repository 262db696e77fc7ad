using System.Text.Json.Nodes;

namespace MdiFlow.Lab.Tests.Support;

internal static class HttpJson
{
    public static async Task<(int Status, JsonObject Body, HttpResponseMessage Response)> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), response);
    }

    public static async Task<(int Status, JsonObject Body, HttpResponseMessage Response)> PostJsonAsync(this HttpClient client, string path)
    {
        var response = await client.PostAsync(path, content: null);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), response);
    }

    /// <summary>The names of an object's properties, in order.</summary>
    public static IReadOnlyList<string> Keys(this JsonNode? node) => [.. node!.AsObject().Select(p => p.Key)];
}
