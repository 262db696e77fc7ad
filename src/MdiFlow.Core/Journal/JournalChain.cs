using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Serialization;

namespace MdiFlow.Journal;

/// <summary>Appends hash-chained entries to an instance's journal and verifies a chain.</summary>
public static class JournalChain
{
    /// <summary>Creates the next entry of <paramref name="instance"/>'s chain and advances its head.</summary>
    public static JournalEntry Append(WorkflowInstance instance, Actor actor, DateTimeOffset at, string kind, string? step = null, JsonObject? data = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(actor);
        var seq = instance.JournalSeq + 1;
        var dataText = data?.ToJsonString(MdiFlowJson.Options);
        var at2 = at.ToUniversalTime();
        var previous = instance.JournalHead;
        var hash = ComputeHash(seq, at2, kind, actor.Name, actor.Source, step, dataText, previous);
        instance.JournalSeq = seq;
        instance.JournalHead = hash;
        return new JournalEntry(seq, at2, kind, actor.Name, actor.Source, step, dataText, previous, hash);
    }

    /// <summary>Checks that every entry's hash matches its content and the entry before it.</summary>
    /// <returns>Null when the chain is intact, else the first broken entry and why.</returns>
    public static JournalBreak? Verify(IReadOnlyList<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var previous = "";
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Seq != i + 1)
            {
                return new JournalBreak(e.Seq, $"entry {i + 1} has sequence number {e.Seq}: an entry was removed or reordered");
            }

            if (e.PreviousHash != previous)
            {
                return new JournalBreak(e.Seq, $"entry {e.Seq} does not point at the hash of entry {e.Seq - 1}: an entry was removed, inserted or reordered");
            }

            var expected = ComputeHash(e.Seq, e.At, e.Kind, e.Actor, e.ActorSource, e.Step, e.Data, e.PreviousHash);
            if (!string.Equals(expected, e.Hash, StringComparison.Ordinal))
            {
                return new JournalBreak(e.Seq, $"entry {e.Seq} ({e.Kind}) does not match its hash: it was edited");
            }

            previous = e.Hash;
        }

        return null;
    }

    internal static string ComputeHash(long seq, DateTimeOffset at, string kind, string actor, string actorSource, string? step, string? data, string previousHash)
    {
        var text = string.Join(
            '\u001f',
            previousHash,
            seq.ToString(CultureInfo.InvariantCulture),
            at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            kind,
            actor,
            actorSource,
            step ?? "",
            data ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

/// <summary>Where a journal's chain is broken.</summary>
/// <param name="Seq">The sequence number of the first broken entry.</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record JournalBreak(long Seq, string Reason);

/// <summary>Who performs an action and how that identity was established.</summary>
/// <param name="Name">The identity, for example <c>CONTOSO\alice</c> or <c>alice</c>.</param>
/// <param name="Source">One of <see cref="ActorSources"/>.</param>
public sealed record Actor(string Name, string Source)
{
    /// <summary>The engine acting on its own (conditions, timers).</summary>
    public static Actor Engine { get; } = new("mdiflow", ActorSources.Engine);
}
