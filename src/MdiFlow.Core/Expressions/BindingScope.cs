using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Secrets;

namespace MdiFlow.Expressions;

/// <summary>What bindings and conditions can read: inputs, earlier steps, secrets, the instance.</summary>
/// <param name="instance">The instance whose inputs and steps are read.</param>
/// <param name="secrets">Where resolved secret values go, to be masked; null: secrets read as <c>***</c> (conditions, plans, instructions).</param>
internal sealed class BindingScope(WorkflowInstance instance, SecretMask? secrets)
{
    public static readonly string[] Roots = ["inputs", "steps", "secrets", "instance"];

    public JsonNode? Resolve(PathExpression path)
    {
        JsonNode? node = path.Root switch
        {
            "inputs" => instance.Inputs,
            "steps" => Steps(),
            "instance" => new JsonObject { ["id"] = instance.Id.Value, ["requester"] = instance.Requester, ["rehearsal"] = instance.IsRehearsal, ["lab"] = instance.IsRehearsal },
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
                ["status"] = step.Status.Name(),
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

        if (secrets is null)
        {
            return JsonValue.Create(SecretMask.Masked);
        }

        if (!instance.SecretReferences.TryGetValue(name, out var reference))
        {
            return null;
        }

        var value = SecretReference.Resolve(name, reference);
        secrets.Add(value);
        return JsonValue.Create(value);
    }
}
