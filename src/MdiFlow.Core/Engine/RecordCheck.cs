using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Engine;

/// <summary>
/// Whether an instance is what its record says: its seal (checked by the store as it reads), its journal's keyed
/// chain, the journal's last entry against the instance's count and head, and its definition's hash.
/// </summary>
internal static class RecordCheck
{
    /// <summary>Refuses an instance whose journal does not end where the instance says it does.</summary>
    /// <exception cref="IntegrityException">Entries were removed, added, or the journal belongs to another state.</exception>
    public static void AgreesWithJournal(WorkflowInstance instance, JournalTail? tail)
    {
        if (Disagreement(instance, tail) is { } problem)
        {
            throw new IntegrityException($"Instance {instance.Id} disagrees with its journal: {problem}. The record was changed outside MdiFlow, so nothing was done. Verify the record and restore the store from a backup.");
        }
    }

    public static async Task<RecordVerdict> VerifyAsync(IWorkflowStore store, JournalKeyProvider keys, DefinitionCache definitions, InstanceId id, string? expectHead, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var key = keys.TryGet(out var unreadable);
        WorkflowInstance? instance = null;
        IReadOnlyList<JournalEntry> entries = [];
        for (var read = 1; read <= 5; read++)
        {
            // The instance first, then its journal: a writer committing in between leaves the journal ahead, so read again.
            problems.Clear();
            try
            {
                instance = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (IntegrityException ex)
            {
                problems.Add(ex.Message);
            }

            entries = await store.ReadJournalAsync(id, cancellationToken).ConfigureAwait(false);
            if (instance is null || entries.Count == 0 || entries[^1].Seq <= instance.JournalSeq)
            {
                break;
            }
        }

        if (instance is null && problems.Count == 0)
        {
            if (entries.Count == 0)
            {
                throw new InstanceNotFoundException($"No instance has the id {id}.");
            }

            problems.Add($"the journal has {entries.Count} entries but the instance itself is missing from the store");
        }

        var head = entries.Count > 0 ? entries[^1] : null;
        if (key is null)
        {
            problems.Add($"the record cannot be verified without the journal key ({unreadable})");
            return new RecordVerdict(id, problems, entries.Count, head?.Seq ?? 0, head?.Mac ?? "", null, null);
        }

        if (JournalChain.Verify(key, id, entries) is { } broken)
        {
            problems.Add($"the journal is broken at entry {broken.Seq}: {broken.Reason}");
        }

        if (instance is not null)
        {
            if (Disagreement(instance, head is null ? null : new JournalTail(head.Seq, head.Mac)) is { } problem)
            {
                problems.Add(problem);
            }

            try
            {
                definitions.Get(instance);
            }
            catch (IntegrityException ex)
            {
                problems.Add(ex.Message);
            }
        }

        if (expectHead is not null)
        {
            var expected = expectHead.Trim().ToLowerInvariant();
            var at = entries.ToList().FindIndex(e => JournalMac.Same(expected, e.Mac));
            if (at < 0)
            {
                problems.Add($"no entry of the journal has the MAC {expected}: the record was rewritten at or before the entry that head named (or the head belongs to another instance or store)");
            }
            else if (JournalChain.Verify(key, id, [.. entries.Take(at + 1)]) is { } early)
            {
                problems.Add($"the expected head is entry {at + 1}, but the chain up to it is broken at entry {early.Seq}");
            }
        }

        return new RecordVerdict(id, problems, entries.Count, head?.Seq ?? 0, head?.Mac ?? "", key.Id, key.Source);
    }

    private static string? Disagreement(WorkflowInstance instance, JournalTail? tail)
    {
        if (tail is null)
        {
            return instance.JournalSeq == 0 ? null : $"its journal is missing, but it records {instance.JournalSeq} entries";
        }

        if (tail.Seq < instance.JournalSeq)
        {
            return $"its journal ends at entry {tail.Seq}, but it records {instance.JournalSeq} entries: the last {instance.JournalSeq - tail.Seq} were removed";
        }

        if (tail.Seq > instance.JournalSeq)
        {
            return $"its journal has {tail.Seq} entries, but it records {instance.JournalSeq}: entries were added outside MdiFlow, or its state was rolled back";
        }

        return JournalMac.Same(instance.JournalHead, tail.Mac)
            ? null
            : $"the last entry of its journal (entry {tail.Seq}) is not the head it records: the journal was rewritten";
    }
}
