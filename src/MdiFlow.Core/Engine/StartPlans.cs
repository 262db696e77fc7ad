using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MdiFlow.Definitions;

namespace MdiFlow.Engine;

/// <summary>
/// What starting an instance of a definition needs — its hash, its canonical snapshot and its validation — kept
/// by the hash of its canonical form, so starting many instances of one definition validates and snapshots it once.
/// The hash is computed afresh at every start (a definition's JSON values can change in place), without allocating.
/// </summary>
internal sealed class StartPlans(WorkflowValidator validator)
{
    /// <summary>Distinct definitions kept; past this the cache starts over rather than grow without end.</summary>
    private const int Capacity = 256;

    private readonly ConcurrentDictionary<HashKey, StartPlan> _plans = new();

    public StartPlan Get(WorkflowDefinition definition)
    {
        Span<byte> hash = stackalloc byte[32];
        WorkflowWriter.HashCanonical(definition, hash);
        var key = new HashKey(hash);
        if (_plans.TryGetValue(key, out var plan))
        {
            return plan;
        }

        if (_plans.Count >= Capacity)
        {
            _plans.Clear();
        }

        return _plans.GetOrAdd(key, new StartPlan(Convert.ToHexStringLower(hash), WorkflowWriter.ToJson(definition), validator.Validate(definition)));
    }

    private readonly record struct HashKey(ulong A, ulong B, ulong C, ulong D)
    {
        public HashKey(ReadOnlySpan<byte> hash)
            : this(BinaryPrimitives.ReadUInt64LittleEndian(hash), BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]), BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]), BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]))
        {
        }
    }
}

/// <summary>A definition ready to start: its hash, its canonical snapshot (never handed out: instances copy it when read) and its mistakes.</summary>
internal sealed record StartPlan(string Hash, JsonObject Snapshot, IReadOnlyList<WorkflowError> Errors);
