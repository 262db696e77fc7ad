using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Serialization;

namespace MdiFlow.Journal;

/// <summary>Appends keyed, chained entries to an instance's journal and checks a chain.</summary>
internal static class JournalChain
{
    /// <summary>Creates the next entry of <paramref name="instance"/>'s chain and advances its head.</summary>
    public static JournalEntry Append(JournalKey key, WorkflowInstance instance, Actor actor, DateTimeOffset at, string kind, string? step = null, JsonObject? data = null) =>
        Append(key, instance, actor, at, kind, step, data?.ToJsonString(MdiFlowJson.Options));

    /// <summary>Creates the next entry with its data already written as JSON object text (the engine's hot path).</summary>
    public static JournalEntry Append(JournalKey key, WorkflowInstance instance, Actor actor, DateTimeOffset at, string kind, string? step, string? dataText)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(actor);
        var seq = instance.JournalSeq + 1;
        var utc = at.ToUniversalTime();
        var previous = instance.JournalHead;
        var mac = JournalMac.Entry(key, instance.Id.Value, seq, utc, kind, actor.Name, actor.Source, step, dataText, previous);
        instance.JournalSeq = seq;
        instance.JournalHead = mac;
        return new JournalEntry(seq, utc, kind, actor.Name, actor.Source, step, dataText, previous, mac);
    }

    /// <summary>The MAC an entry of <paramref name="instanceId"/> should have.</summary>
    public static string MacOf(JournalKey key, InstanceId instanceId, JournalEntry e) =>
        JournalMac.Entry(key, instanceId.Value, e.Seq, e.At, e.Kind, e.Actor, e.ActorSource, e.Step, e.Data, e.PreviousMac);

    /// <summary>Checks that every entry's MAC matches its content, its instance and the entry before it.</summary>
    /// <returns>Null when the chain is intact, else the first broken entry and why.</returns>
    public static JournalBreak? Verify(JournalKey key, InstanceId instanceId, IReadOnlyList<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entries);
        var previous = "";
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Seq != i + 1)
            {
                return new JournalBreak(e.Seq, $"entry {i + 1} has sequence number {e.Seq}: an entry was removed or reordered");
            }

            if (!JournalMac.Same(previous, e.PreviousMac))
            {
                return new JournalBreak(e.Seq, $"entry {e.Seq} does not point at the MAC of entry {e.Seq - 1}: an entry was removed, inserted or reordered");
            }

            if (!JournalMac.Same(MacOf(key, instanceId, e), e.Mac))
            {
                return new JournalBreak(e.Seq, $"entry {e.Seq} ({e.Kind}) does not match its MAC under the journal key: it was edited, or it belongs to another instance");
            }

            previous = e.Mac;
        }

        return null;
    }
}

/// <summary>Where a journal's chain is broken.</summary>
/// <param name="Seq">The sequence number of the first broken entry.</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record JournalBreak(long Seq, string Reason);
