using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Secrets;

namespace MdiFlow.Expressions;

/// <summary>What bindings and conditions can read: inputs, earlier steps, secrets, the instance.</summary>
internal sealed class BindingScope(WorkflowInstance instance, bool resolveSecrets)
{
    public static readonly string[] Roots = ["inputs", "steps", "secrets", "instance"];

    public JsonNode? Resolve(PathExpression path)
    {
        JsonNode? node = path.Root switch
        {
            "inputs" => instance.Inputs,
            "steps" => Steps(),
            "instance" => new JsonObject { ["id"] = instance.Id.Value, ["requester"] = instance.Requester, ["lab"] = instance.IsLab },
            "secrets" => Secret(path),
            _ => throw new ExpressionException($"'{path.Root}' is not a binding root; use one of: {string.Join(", ", Roots)}", path.Position),
        };
        var segments = path.Root == "secrets" ? path.Segments.Skip(1) : path.Segments;
        foreach (var segment in segments)
        {
            node = (node, segment) switch
            {
                (JsonObject o, string name) => o[name],
                (JsonArray a, int index) => index < a.Count ? a[index] : null,
                _ => null,
            };
        }

        return node?.DeepClone();
    }

    private JsonObject Steps()
    {
        var steps = new JsonObject();
        foreach (var step in instance.Steps)
        {
            steps[step.Id] = new JsonObject
            {
                ["status"] = step.Status.ToString().ToLowerInvariant(),
                ["output"] = step.Output?.DeepClone(),
                ["attempts"] = step.Attempts,
            };
        }

        return steps;
    }

    private JsonValue? Secret(PathExpression path)
    {
        if (path.Segments is not [string name, ..])
        {
            throw new ExpressionException("'secrets' must be followed by a secret's name, as in secrets.accessKey", path.Position);
        }

        if (!resolveSecrets)
        {
            return JsonValue.Create("***");
        }

        return instance.SecretReferences.TryGetValue(name, out var reference)
            ? JsonValue.Create(SecretReference.Resolve(name, reference))
            : null;
    }
}
