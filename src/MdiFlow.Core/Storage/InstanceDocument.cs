using System.Text.Json;
using MdiFlow.Instances;
using MdiFlow.Serialization;

namespace MdiFlow.Storage;

/// <summary>The one JSON form of an instance that every store persists.</summary>
public static class InstanceDocument
{
    /// <summary>Serializes an instance to its stored text.</summary>
    public static string Serialize(WorkflowInstance instance) =>
        JsonSerializer.Serialize(instance, MdiFlowJson.Options);

    /// <summary>Reads an instance from its stored text.</summary>
    /// <exception cref="StoreException">The text is not an instance document.</exception>
    public static WorkflowInstance Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkflowInstance>(json, MdiFlowJson.Options)
                ?? throw new StoreException("An instance document is empty: the store is corrupt.");
        }
        catch (JsonException ex)
        {
            throw new StoreException($"An instance document cannot be read ({ex.Message}): the store is corrupt.", ex);
        }
    }
}
