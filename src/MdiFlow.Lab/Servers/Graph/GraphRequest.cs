namespace MdiFlow.Lab.Servers.Graph;

/// <summary>A request as a Graph route handler sees it.</summary>
/// <param name="Values">The route's placeholders, for example <c>id</c>.</param>
/// <param name="Query">The query parameters, names trimmed (Graph's docs write <c>$filter = ...</c>).</param>
/// <param name="Path">The request's path.</param>
/// <param name="ServerAddress">The lab server's root, for <c>@odata.nextLink</c>.</param>
/// <param name="Body">The JSON body of a POST, when it has one.</param>
internal sealed record GraphRequest(
    IReadOnlyDictionary<string, string> Values,
    IReadOnlyDictionary<string, string> Query,
    string Path,
    Uri ServerAddress,
    System.Text.Json.Nodes.JsonNode? Body = null);
