using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using MdiFlow.Serialization;

namespace MdiFlow.Activities;

/// <summary>What an installed activity is: its name, types, schemas and recovery behaviour.</summary>
public sealed class ActivityDescriptor
{
    private ActivityDescriptor(Type implementation, ActivityAttribute attribute, Type? inputType, Type? outputType)
    {
        Implementation = implementation;
        Name = attribute.Name;
        Description = attribute.Description;
        Recovery = attribute.Recovery;
        RunsOnTarget = attribute.RunsOnTarget;
        Rehearsal = attribute.Rehearsal;
        IsGate = attribute.IsGate;
        InputType = inputType;
        OutputType = outputType;

        // Generated on first use: every command builds the catalog, and most (show, list, approve) never look at a schema.
        _inputSchema = new(() => inputType is null ? new JsonObject { ["type"] = "object" } : Schema(inputType));
        _outputSchema = new(() => outputType is null || outputType == typeof(NoOutput) ? null : Schema(outputType));
        _inputs = new(() => InputSchema["properties"] is JsonObject props ? [.. props.Select(p => p.Key)] : null);
        _requiredInputs = new(() => InputSchema["required"] is JsonArray required ? [.. required.Select(r => r!.GetValue<string>())] : []);
        _noSecretInputs = new(() => inputType is null ? new Dictionary<string, string?>() : NoSecrets(inputType));
    }

    private readonly Lazy<JsonObject> _inputSchema;
    private readonly Lazy<JsonObject?> _outputSchema;
    private readonly Lazy<IReadOnlyList<string>?> _inputs;
    private readonly Lazy<IReadOnlyList<string>> _requiredInputs;
    private readonly Lazy<IReadOnlyDictionary<string, string?>> _noSecretInputs;

    /// <summary>The name used in <c>uses</c>.</summary>
    public string Name { get; }

    /// <summary>One sentence for people.</summary>
    public string Description { get; }

    /// <summary>What re-running after a crash requires.</summary>
    public RecoveryMode Recovery { get; }

    /// <summary>Whether it must run on the target host.</summary>
    public bool RunsOnTarget { get; }

    /// <summary>What it does in a rehearsal.</summary>
    public RehearsalMode Rehearsal { get; }

    /// <summary>Whether it is a gate (stops until people act); a gate step can never be skipped.</summary>
    public bool IsGate { get; }

    /// <summary>The inputs that must never receive a secret, each with where a secret should go instead (or null).</summary>
    public IReadOnlyDictionary<string, string?> NoSecretInputs => _noSecretInputs.Value;

    /// <summary>The implementing type.</summary>
    public Type Implementation { get; }

    /// <summary>The typed input, when the activity has one.</summary>
    public Type? InputType { get; }

    /// <summary>The typed output, when the activity has one.</summary>
    public Type? OutputType { get; }

    /// <summary>JSON Schema of the input, generated from the input type.</summary>
    public JsonObject InputSchema => _inputSchema.Value;

    /// <summary>JSON Schema of the output, when there is one.</summary>
    public JsonObject? OutputSchema => _outputSchema.Value;

    /// <summary>The input names it accepts, or null when it accepts any.</summary>
    public IReadOnlyList<string>? Inputs => _inputs.Value;

    /// <summary>The input names it requires.</summary>
    public IReadOnlyList<string> RequiredInputs => _requiredInputs.Value;

    /// <summary>Builds the descriptor of an activity type.</summary>
    /// <exception cref="InvalidOperationException">The type is not a usable activity.</exception>
    public static ActivityDescriptor For(Type implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        if (!typeof(IActivity).IsAssignableFrom(implementation) || implementation.IsAbstract)
        {
            throw new InvalidOperationException($"{implementation.FullName} is not a concrete IActivity.");
        }

        var attribute = implementation.GetCustomAttribute<ActivityAttribute>()
            ?? throw new InvalidOperationException($"The activity {implementation.FullName} has no [Activity(\"name\")] attribute; add one to name it.");
        for (var t = implementation; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Activity<,>))
            {
                var args = t.GetGenericArguments();
                return new ActivityDescriptor(implementation, attribute, args[0], args[1]);
            }
        }

        return new ActivityDescriptor(implementation, attribute, null, null);
    }

    private static Dictionary<string, string?> NoSecrets(Type inputType)
    {
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in inputType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<NoSecretsAttribute>() is { } marker)
            {
                names[MdiFlowJson.Options.PropertyNamingPolicy?.ConvertName(property.Name) ?? property.Name] = marker.Alternative;
            }
        }

        return names;
    }

    private static JsonObject Schema(Type type) =>
        JsonSchemaExporter.GetJsonSchemaAsNode(MdiFlowJson.Options, type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true }) as JsonObject
        ?? new JsonObject();
}
