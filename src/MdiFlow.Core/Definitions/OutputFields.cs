using System.Text.Json.Nodes;
using MdiFlow.Activities;

namespace MdiFlow.Definitions;

/// <summary>
/// Checks a binding's path below <c>steps.ID.output</c> against the output schema of the step's activity (generated
/// from its output type), so a mistyped field is a validation error rather than an empty value at run time.
/// </summary>
internal static class OutputFields
{
    /// <summary>What is wrong with reading <paramref name="segments"/> from the activity's output, or null when it can be read.</summary>
    public static (string Text, string? Field)? Problem(ActivityDescriptor activity, IReadOnlyList<object> segments)
    {
        if (activity.OutputType is null)
        {
            return null; // an untyped activity: its output is not known before it runs
        }

        if (activity.OutputSchema is not { } root)
        {
            return segments.Count == 0 ? null : ($"an output of '{activity.Name}', which has none.", segments[0] as string);
        }

        var schema = root;
        var at = "output";
        foreach (var segment in segments)
        {
            schema = Resolve(root, schema);
            if (segment is string name)
            {
                if (schema["properties"] is not JsonObject properties)
                {
                    return null; // a map or free-form object: any key may be there
                }

                if (properties[name] is not JsonObject field)
                {
                    var fields = properties.Select(p => p.Key).ToList();
                    return ($"'{name}', which {(at == "output" ? $"the output of '{activity.Name}'" : $"'{at}'")} does not have.{Suggestions.DidYouMean(name, fields)} Its fields are: {string.Join(", ", fields)}.", name);
                }

                schema = field;
                at += "." + name;
            }
            else
            {
                if (schema["items"] is not JsonObject items)
                {
                    return null;
                }

                schema = items;
                at += $"[{segment}]";
            }
        }

        return null;
    }

    /// <summary>Follows a <c>$ref</c> within the schema (the exporter refers to a type's first appearance by JSON pointer).</summary>
    private static JsonObject Resolve(JsonObject root, JsonObject schema)
    {
        for (var hops = 0; hops < 16 && schema["$ref"] is JsonValue reference && reference.TryGetValue<string>(out var pointer) && pointer.StartsWith('#'); hops++)
        {
            JsonNode? node = root;
            foreach (var part in pointer[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var name = part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                node = node switch
                {
                    JsonObject o => o[name],
                    JsonArray a when int.TryParse(name, out var i) && i < a.Count => a[i],
                    _ => null,
                };
            }

            if (node is not JsonObject target)
            {
                break;
            }

            schema = target;
        }

        return schema;
    }
}
