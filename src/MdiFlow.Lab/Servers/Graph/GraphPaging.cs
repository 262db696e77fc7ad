using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MdiFlow.Lab.Servers.Graph;

/// <summary>Graph's server-driven paging: at most a page of items, and an <c>@odata.nextLink</c> with a <c>$skiptoken</c> while more remain.</summary>
internal static class GraphPaging
{
    private const string TokenPrefix = "lab-offset:";

    public static GraphResponse Page(GraphRequest request, string context, IReadOnlyList<JsonObject> items, int pageSize)
    {
        if (request.Query.TryGetValue("$top", out var topText))
        {
            if (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out var top) || top is < 1 or > 999)
            {
                return GraphResponse.Error(400, "Request_UnsupportedQuery", $"Invalid page size specified: '{topText}'. Must be between 1 and 999 inclusive.");
            }

            pageSize = Math.Min(pageSize, top);
        }

        var offset = 0;
        if (request.Query.TryGetValue("$skiptoken", out var token) && !TryReadToken(token, out offset))
        {
            return GraphResponse.Error(400, "Directory_ExpiredPageToken", "The specified page token value has expired and can no longer be included in your request.");
        }

        var body = new JsonObject { ["@odata.context"] = GraphEntities.Metadata + context };
        var next = offset + pageSize;
        if (next < items.Count)
        {
            var query = request.Query
                .Where(q => q.Key != "$skiptoken")
                .Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}")
                .Append("$skiptoken=" + Uri.EscapeDataString(WriteToken(next)));
            body["@odata.nextLink"] = new Uri(request.ServerAddress, request.Path.TrimStart('/')) + "?" + string.Join('&', query);
        }

        body["value"] = new JsonArray([.. items.Skip(offset).Take(pageSize).Select(i => (JsonNode)i.DeepClone())]);
        return GraphResponse.Ok(body);
    }

    private static string WriteToken(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(TokenPrefix + offset.ToString(CultureInfo.InvariantCulture)));

    private static bool TryReadToken(string token, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith(TokenPrefix, StringComparison.Ordinal) &&
                   int.TryParse(text.AsSpan(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
