using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Storage;

/// <summary>
/// What every store does between its rows and an instance, whatever its columns look like: statuses as lowercase
/// names, a row opened only once its seal, document and columns agree, a document written at the version it is saved
/// at, and a stored definition parsed.
/// </summary>
internal static class StoredInstances
{
    private static readonly FrozenDictionary<InstanceStatus, string> StatusNames =
        Enum.GetValues<InstanceStatus>().ToFrozenDictionary(s => s, s => s.ToString().ToLowerInvariant());

    private static readonly FrozenDictionary<string, InstanceStatus> StatusesByName =
        StatusNames.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>A status as its column holds it.</summary>
    public static string StatusName(InstanceStatus status) => StatusNames[status];

    /// <summary>A status column's text back as a status; false for a name that is not one.</summary>
    public static bool TryParseStatus(string text, out InstanceStatus status) => StatusesByName.TryGetValue(text, out status);

    /// <summary>
    /// The instance a stored row holds, once its seal, document and columns agree. Without the key (an auditor who may
    /// only read the store) the document is read unchecked; the engine says so.
    /// </summary>
    /// <param name="id">The instance the row was read for.</param>
    /// <param name="row">The row as stored.</param>
    /// <param name="statusColumn">The row's status column, parsed by the store.</param>
    /// <param name="definition">The definition stored under the row's hash, or null when there is none.</param>
    /// <param name="key">The journal key, or null to read the document unchecked.</param>
    /// <param name="where">The store as messages name it: <c>the store '/var/lib/mdiflow/mdiflow.db'</c>.</param>
    /// <param name="damaged">The store's own "damaged" error, for a detail and its cause.</param>
    public static WorkflowInstance Open(
        InstanceId id, StoredRow row, InstanceStatus statusColumn, JsonObject? definition, JournalKey? key, string where, Func<string, Exception?, StoreException> damaged)
    {
        if (key is not null)
        {
            InstanceDocument.CheckSeal(key, id, row.Document, row.Seal, where);
        }

        if (definition is null)
        {
            throw damaged($"instance {id}: its definition {row.DefinitionHash} is missing", null);
        }

        WorkflowInstance instance;
        try
        {
            instance = InstanceDocument.Deserialize(row.Document, definition);
        }
        catch (StoreException ex)
        {
            throw damaged($"instance {id}: {ex.Message}", ex);
        }

        if (instance.Status != statusColumn || instance.DefinitionHash != row.DefinitionHash)
        {
            throw new IntegrityException($"Instance {id} in {where} has a status or definition column ({row.Status}, {Short(row.DefinitionHash)}) that disagrees with its sealed document ({StatusName(instance.Status)}, {Short(instance.DefinitionHash)}): the store was changed outside MdiFlow. Nothing was done.");
        }

        // The column is what optimistic concurrency compares; the document's copy is for people reading it.
        instance.Version = row.Version;
        return instance;
    }

    /// <summary>The document of an instance as stored at <paramref name="version"/>; the caller's instance changes only on success.</summary>
    public static string SerializeAt(WorkflowInstance instance, long version)
    {
        var current = instance.Version;
        instance.Version = version;
        try
        {
            return InstanceDocument.Serialize(instance);
        }
        finally
        {
            instance.Version = current;
        }
    }

    /// <summary>A stored definition's text as the JSON object it must be.</summary>
    public static JsonObject ParseDefinition(string hash, string text, Func<string, Exception?, StoreException> damaged)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw damaged($"definition {hash} is not a JSON object", null);
        }
        catch (JsonException ex)
        {
            throw damaged($"definition {hash}: {ex.Message}", ex);
        }
    }

    private static string Short(string hash) => hash[..Math.Min(12, hash.Length)];
}

/// <summary>An instance's stored row: the version compared for concurrency, the sealed document, its definition's hash, the seal, and the status column listings use.</summary>
internal sealed record StoredRow(long Version, string Document, string DefinitionHash, string Seal, string Status);
