using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MdiFlow.Instances;
using MdiFlow.Serialization;

namespace MdiFlow.Storage;

/// <summary>
/// The one JSON form of an instance that every store persists. It leaves the definition out: a store keeps
/// each definition once, under the instance's <see cref="WorkflowInstance.DefinitionHash"/>.
/// </summary>
/// <remarks>
/// The form is that of <see cref="MdiFlowJson.Options"/>; its metadata is generated at build time, so a process
/// that reads one instance (a CLI command) does not first spend tens of milliseconds building it by reflection.
/// </remarks>
public static class InstanceDocument
{
    private static readonly JsonTypeInfo<WorkflowInstance> Metadata = new InstanceDocumentContext(new JsonSerializerOptions(MdiFlowJson.Options)).WorkflowInstance;

    /// <summary>Serializes an instance to its stored text (without its definition).</summary>
    public static string Serialize(WorkflowInstance instance) =>
        JsonSerializer.Serialize(instance, Metadata);

    /// <summary>Reads an instance from its stored text; its definition is left empty.</summary>
    /// <exception cref="StoreException">The text is not an instance document.</exception>
    public static WorkflowInstance Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, Metadata)
                ?? throw new StoreException("An instance document is empty: the store is corrupt.");
        }
        catch (JsonException ex)
        {
            throw new StoreException($"An instance document cannot be read ({ex.Message}): the store is corrupt.", ex);
        }
    }

    /// <summary>Reads an instance from its stored text and gives it the definition stored under its hash.</summary>
    /// <exception cref="StoreException">The text is not an instance document.</exception>
    public static WorkflowInstance Deserialize(string json, JsonObject definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var instance = Deserialize(json);
        instance.AttachDefinition(definition);
        return instance;
    }
}

/// <summary>Build-time metadata of the instance document, used with (a copy of) <see cref="MdiFlowJson.Options"/>.</summary>
[JsonSerializable(typeof(WorkflowInstance))]
internal sealed partial class InstanceDocumentContext : JsonSerializerContext;
