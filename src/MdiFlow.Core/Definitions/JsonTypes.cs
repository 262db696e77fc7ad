using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Expressions;

namespace MdiFlow.Definitions;

/// <summary>Whether a literal value fits the <c>type</c> of a JSON Schema, as validation checks step inputs and input defaults.</summary>
internal static class JsonTypes
{
    public static bool Fits(JsonNode? value, JsonObject schema)
    {
        if (value is JsonValue v && Truth.AsString(v) is { } s && Template.HasBindings(s))
        {
            return true; // Bound at run time.
        }

        var types = Types(schema);
        if (types is null)
        {
            return true;
        }

        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        return types.Any(t => t switch
        {
            "string" => kind == JsonValueKind.String,
            "integer" => kind == JsonValueKind.Number && Truth.AsNumber(value) is { } n && n == Math.Floor(n),
            "number" => kind == JsonValueKind.Number,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "array" => kind == JsonValueKind.Array,
            "object" => kind == JsonValueKind.Object,
            "null" => kind == JsonValueKind.Null,
            _ => true,
        });
    }

    public static string Describe(JsonObject schema) => Types(schema) switch
    {
        [var one] => $"a value of type {one}",
        { } many => $"a value of type {string.Join(" or ", many)}",
        null => "another value",
    };

    private static string[]? Types(JsonObject schema) => schema["type"] switch
    {
        JsonValue t => [t.GetValue<string>()],
        JsonArray a => [.. a.Select(t => t!.GetValue<string>())],
        _ => null,
    };
}
