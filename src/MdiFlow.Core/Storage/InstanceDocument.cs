using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MdiFlow.Instances;
using MdiFlow.Journal;
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

    /// <summary>
    /// The seal of a stored document: a MAC under the store's journal key over the instance id and the exact text.
    /// A store keeps it beside the document and checks it with <see cref="CheckSeal"/> whenever it reads one, so a
    /// document changed by anyone without the key (a status, a step, a gate decision, the rehearsal flag) is refused.
    /// </summary>
    public static string Seal(JournalKey key, InstanceId id, string document)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(document);
        return JournalMac.Document(key, id.Value, document);
    }

    /// <summary>Checks a stored document against its seal.</summary>
    /// <exception cref="IntegrityException">They disagree: the document (or the seal) was changed outside MdiFlow.</exception>
    public static void CheckSeal(JournalKey key, InstanceId id, string document, string seal, string where)
    {
        ArgumentNullException.ThrowIfNull(seal);
        if (!JournalMac.Same(Seal(key, id, document), seal))
        {
            throw new IntegrityException(
                $"Instance {id} in {where} does not match its seal under the journal key {key.Id}: its stored state was changed outside MdiFlow. Nothing was run. Verify its record, and restore the store from a backup.");
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
