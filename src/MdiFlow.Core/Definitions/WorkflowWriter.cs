using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Serialization;

namespace MdiFlow.Definitions;

/// <summary>
/// Writes a definition in its canonical JSON form: the file format, in a fixed order, with defaults
/// made explicit. Instances snapshot this form, and its SHA-256 is the definition's hash.
/// </summary>
public static class WorkflowWriter
{
    /// <summary>The canonical JSON of a definition.</summary>
    public static JsonObject ToJson(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var root = new JsonObject { ["id"] = definition.Id, ["version"] = definition.Version };
        if (definition.Title is not null)
        {
            root["title"] = definition.Title;
        }

        var inputs = new JsonObject();
        foreach (var input in definition.Inputs)
        {
            var o = new JsonObject { ["type"] = input.Type, ["required"] = input.Required, ["secret"] = input.Secret };
            if (input.Default is not null)
            {
                o["default"] = input.Default.DeepClone();
            }

            if (input.Description is not null)
            {
                o["description"] = input.Description;
            }

            inputs[input.Name] = o;
        }

        root["inputs"] = inputs;
        if (definition.Retry is not null)
        {
            root["retry"] = Retry(definition.Retry);
        }

        var steps = new JsonArray();
        foreach (var step in definition.Steps)
        {
            var o = new JsonObject { ["id"] = step.Id, ["uses"] = step.Uses };
            if (step.Title is not null)
            {
                o["title"] = step.Title;
            }

            o["with"] = step.With.DeepClone();
            if (step.When is not null)
            {
                o["when"] = step.When;
            }

            if (step.Retry is not null)
            {
                o["retry"] = Retry(step.Retry);
            }

            if (step.Timeout is { } timeout)
            {
                o["timeout"] = Duration.Format(timeout);
            }

            if (step.TotalTimeout is { } total)
            {
                o["totalTimeout"] = Duration.Format(total);
            }

            o["skippable"] = step.Skippable;
            steps.Add(o);
        }

        root["steps"] = steps;
        return root;
    }

    /// <summary>The SHA-256 (lowercase hex) of the canonical JSON.</summary>
    public static string Hash(WorkflowDefinition definition) => Hash(ToJson(definition));

    /// <summary>The SHA-256 (lowercase hex) of canonical JSON already written.</summary>
    public static string Hash(JsonObject canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));
    }

    private static JsonObject Retry(RetryPolicy retry) => new()
    {
        ["maxAttempts"] = retry.MaxAttempts,
        ["initialDelay"] = Duration.Format(retry.InitialDelay),
        ["backoffCoefficient"] = retry.BackoffCoefficient,
        ["maxDelay"] = Duration.Format(retry.MaxDelay),
        ["jitter"] = retry.Jitter,
        ["nonRetryable"] = new JsonArray([.. retry.NonRetryable.Select(c => (JsonNode?)JsonValue.Create(c))]),
    };
}
