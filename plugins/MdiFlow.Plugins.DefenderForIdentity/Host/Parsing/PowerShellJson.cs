using System.Text.Json;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>
/// Reads what Windows PowerShell 5.1's <c>ConvertTo-Json</c> prints: one object for one result,
/// an array for several, nothing for none, possibly after warning lines.
/// </summary>
internal static class PowerShellJson
{
    /// <summary>The objects in the output, in order; none for empty output.</summary>
    /// <exception cref="FormatException">The output holds no JSON where it should.</exception>
    public static IReadOnlyList<JsonElement> Objects(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var start = output.IndexOfAny(['{', '[']);
        if (start < 0)
        {
            return string.IsNullOrWhiteSpace(output)
                ? []
                : throw new FormatException($"Expected ConvertTo-Json output, got: {Shorten(output)}");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(output.AsMemory(start), new JsonDocumentOptions { AllowTrailingCommas = true });
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new FormatException($"ConvertTo-Json output does not parse: {ex.Message}", ex);
        }

        return root.ValueKind switch
        {
            JsonValueKind.Array => [.. root.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)],
            JsonValueKind.Object => [root],
            _ => [],
        };
    }

    /// <summary>The only object in the output.</summary>
    /// <exception cref="FormatException">There is not exactly one.</exception>
    public static JsonElement Single(string output, string what)
    {
        var objects = Objects(output);
        return objects.Count == 1
            ? objects[0]
            : throw new FormatException($"Expected one {what} in the ConvertTo-Json output, found {objects.Count}.");
    }

    public static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long? Number(JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var number) => number,
            _ => null,
        };
    }

    public static bool? Boolean(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    /// <summary>A string array property; a bare string (a property that held one value) counts as one item.</summary>
    public static IReadOnlyList<string> Strings(JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.Array => [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
            JsonValueKind.String => [value.GetString()!],
            _ => [],
        };
    }

    private static string Shorten(string text) => text.Length <= 200 ? text.Trim() : text[..200].Trim() + "...";
}
