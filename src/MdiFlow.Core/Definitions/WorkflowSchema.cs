using System.Text.Json.Nodes;
using MdiFlow.Activities;

namespace MdiFlow.Definitions;

/// <summary>
/// The JSON Schema of workflow files for editors (<c>workflows/mdiflow.schema.json</c>), generated from the
/// installed activities so each step's <c>with</c> block is checked against its activity's input type.
/// </summary>
public static class WorkflowSchema
{
    private const string DurationPattern = "^(-?P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?|(\\d+\\.)?\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)$";

    /// <summary>Generates the schema.</summary>
    public static JsonObject Generate(ActivityCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var activities = catalog.All.ToList();
        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "MdiFlow workflow",
            ["description"] = "A runbook: ordered steps, each an activity with bound inputs. Generated from the installed activities; do not edit by hand.",
            ["type"] = "object",
            ["required"] = new JsonArray("id", "steps"),
            ["additionalProperties"] = false,
            ["properties"] = new JsonObject
            {
                ["$schema"] = new JsonObject { ["type"] = "string" },
                ["id"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[A-Za-z0-9][A-Za-z0-9._-]*$" },
                ["version"] = new JsonObject { ["type"] = new JsonArray("string", "number") },
                ["title"] = new JsonObject { ["type"] = "string" },
                ["description"] = new JsonObject { ["type"] = "string" },
                ["inputs"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = Ref("input") },
                ["retry"] = Ref("retry"),
                ["steps"] = new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = Ref("step") },
            },
            ["$defs"] = new JsonObject
            {
                ["duration"] = new JsonObject { ["type"] = "string", ["description"] = "ISO 8601 (PT30S) or hh:mm:ss.", ["pattern"] = DurationPattern },
                ["binding"] = new JsonObject { ["type"] = "string", ["pattern"] = "\\{\\{.*\\}\\}", ["description"] = "A {{ binding }} resolved when the step runs." },
                ["input"] = new JsonObject
                {
                    ["type"] = "object",
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject
                    {
                        ["type"] = new JsonObject { ["enum"] = new JsonArray("string", "number", "boolean", "object", "array") },
                        ["required"] = new JsonObject { ["type"] = "boolean" },
                        ["default"] = new JsonObject(),
                        ["secret"] = new JsonObject { ["type"] = "boolean" },
                        ["description"] = new JsonObject { ["type"] = "string" },
                    },
                },
                ["retry"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "Retries every failure the activity does not mark permanent, except the codes in nonRetryable (and, when on is given, codes not in on).",
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject
                    {
                        ["maxAttempts"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 100 },
                        ["initialDelay"] = Ref("duration"),
                        ["backoffCoefficient"] = new JsonObject { ["type"] = "number", ["minimum"] = 1 },
                        ["maxDelay"] = Ref("duration"),
                        ["jitter"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 },
                        ["nonRetryable"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["description"] = "Error codes never retried." },
                        ["on"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["description"] = "When given, the only error codes retried." },
                    },
                },
                ["step"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("id", "uses"),
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject
                    {
                        ["id"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[A-Za-z_][A-Za-z0-9_-]*$" },
                        ["uses"] = new JsonObject { ["enum"] = new JsonArray([.. activities.Select(a => (JsonNode?)a.Name)]) },
                        ["title"] = new JsonObject { ["type"] = "string" },
                        ["with"] = new JsonObject { ["type"] = "object" },
                        ["when"] = new JsonObject { ["type"] = "string", ["description"] = "A condition: paths, literals, == != < <= > >= && || ! in." },
                        ["retry"] = Ref("retry"),
                        ["timeout"] = Ref("duration"),
                        ["totalTimeout"] = Ref("duration"),
                        ["skippable"] = new JsonObject { ["type"] = "boolean" },
                        ["rehearse"] = new JsonObject { ["enum"] = new JsonArray("double", "run"), ["description"] = "In a rehearsal: the activity's double (default), or its real work where the policy allows it." },
                        ["onFailure"] = new JsonObject { ["enum"] = new JsonArray("stop", "continue"), ["description"] = "stop (default): the instance fails at the step; continue: the failure is recorded and the run goes on." },
                    },
                    ["allOf"] = new JsonArray([.. activities.Select(a => (JsonNode?)WithFor(a))]),
                },
            },
        };
    }

    private static JsonObject WithFor(ActivityDescriptor activity)
    {
        var schema = (JsonObject)activity.InputSchema.DeepClone();
        schema.Remove("$schema");
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var name in properties.Select(p => p.Key).ToList())
            {
                // Any input may be written as a binding instead of a literal.
                var original = properties[name]!.DeepClone();
                properties[name] = new JsonObject { ["anyOf"] = new JsonArray(original, Ref("binding")) };
            }

            schema["additionalProperties"] = false;
        }

        return new JsonObject
        {
            ["if"] = new JsonObject { ["properties"] = new JsonObject { ["uses"] = new JsonObject { ["const"] = activity.Name } } },
            ["then"] = new JsonObject
            {
                ["description"] = activity.Description,
                ["properties"] = new JsonObject { ["with"] = schema },
            },
        };
    }

    private static JsonObject Ref(string name) => new() { ["$ref"] = $"#/$defs/{name}" };
}
