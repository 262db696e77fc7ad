using System.Text.Json;
using System.Text.Json.Nodes;

namespace MdiFlow.Expressions;

/// <summary>The documented meaning of truth, equality and order over JSON values.</summary>
internal static class Truth
{
    /// <summary>null, false, 0, "" and empty arrays are false; everything else is true.</summary>
    public static bool IsTrue(JsonNode? node) => node switch
    {
        null => false,
        JsonArray a => a.Count > 0,
        JsonObject => true,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.False or JsonValueKind.Null or JsonValueKind.Undefined => false,
            JsonValueKind.True => true,
            JsonValueKind.Number => AsNumber(v) != 0,
            JsonValueKind.String => v.GetValue<string>().Length > 0,
            _ => true,
        },
        _ => true,
    };

    public static bool AreEqual(JsonNode? left, JsonNode? right)
    {
        if (AsNumber(left) is { } l && AsNumber(right) is { } r)
        {
            return l == r;
        }

        return JsonNode.DeepEquals(Normalize(left), Normalize(right));
    }

    /// <summary>Numbers by value, strings ordinally; null when the two cannot be ordered.</summary>
    public static int? Compare(JsonNode? left, JsonNode? right)
    {
        if (AsNumber(left) is { } l && AsNumber(right) is { } r)
        {
            return l.CompareTo(r);
        }

        if (AsString(left) is { } ls && AsString(right) is { } rs)
        {
            return string.CompareOrdinal(ls, rs);
        }

        return null;
    }

    /// <summary>An array holds the item, or a string holds the substring.</summary>
    public static bool Contains(JsonNode? container, JsonNode? item) => container switch
    {
        JsonArray a => a.Any(e => AreEqual(e, item)),
        JsonValue v when AsString(v) is { } s && AsString(item) is { } part => s.Contains(part, StringComparison.Ordinal),
        JsonObject o when AsString(item) is { } key => o.ContainsKey(key),
        _ => false,
    };

    public static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static double? AsNumber(JsonNode? node)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        return v.TryGetValue<double>(out var d)
            ? d
            : double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static JsonNode? Normalize(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Null ? null : node;
}
