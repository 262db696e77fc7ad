using MdiFlow.Instances;

namespace MdiFlow.Engine;

/// <summary>
/// The outcome of checking an instance's record: its journal chain under the store's key, the journal's agreement
/// with the instance (count and head), the instance's seal, its definition's hash, and an expected head if one was given.
/// </summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="Problems">Every disagreement found, each a sentence; empty when the record verifies.</param>
/// <param name="Entries">How many journal entries there are.</param>
/// <param name="HeadSeq">The sequence number of the last entry (0 for none).</param>
/// <param name="Head">The MAC of the last entry, to quote in a change ticket (empty for none).</param>
/// <param name="KeyId">The fingerprint of the key that verified it, or null when no key could be read.</param>
/// <param name="KeySource">Where that key came from.</param>
public sealed record RecordVerdict(InstanceId InstanceId, IReadOnlyList<string> Problems, int Entries, long HeadSeq, string Head, string? KeyId, string? KeySource)
{
    /// <summary>Whether everything verified.</summary>
    public bool Verified => Problems.Count == 0;
}
