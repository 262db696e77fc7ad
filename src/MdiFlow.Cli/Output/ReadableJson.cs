using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MdiFlow.Cli.Output;

/// <summary>
/// JSON values written for people: strings in quotes as they are (no <c>\\</c>, <c>\u0027</c> or other JSON escapes),
/// arrays and objects in JSON's shape. What a terminal must not see (control characters) is escaped visibly by
/// <see cref="TerminalText"/> afterwards; <c>--json</c> output is real JSON and does not use this.
/// </summary>
internal static class ReadableJson
{
    public static string Text(JsonNode? node)
    {
        var text = new StringBuilder();
        Append(text, node);
        return text.ToString();
    }

    /// <summary>A JSON document given as text, written for people; text that is not JSON is returned as it is.</summary>
    public static string Text(string json)
    {
        try
        {
            return Text(JsonNode.Parse(json));
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static void Append(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? "" : ", ");
                    Append(text, array[i]);
                }

                text.Append(']');
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (name, value) in obj)
                {
                    text.Append(first ? " " : ", ").Append('"').Append(name).Append("\": ");
                    Append(text, value);
                    first = false;
                }

                text.Append(first ? "}" : " }");
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                text.Append('"').Append(value.GetValue<string>()).Append('"');
                break;
            default:
                text.Append(node.ToJsonString());
                break;
        }
    }
}
