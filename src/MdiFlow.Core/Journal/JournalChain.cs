using System.Buffers;
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
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    [ThreadStatic]
    private static IncrementalHash? _hasher;

    /// <summary>Creates the next entry of <paramref name="instance"/>'s chain and advances its head.</summary>
    public static JournalEntry Append(WorkflowInstance instance, Actor actor, DateTimeOffset at, string kind, string? step = null, JsonObject? data = null) =>
        Append(instance, actor, at, kind, step, data?.ToJsonString(MdiFlowJson.Options));

    /// <summary>Creates the next entry with its data already written as JSON object text (the engine's hot path).</summary>
    internal static JournalEntry Append(WorkflowInstance instance, Actor actor, DateTimeOffset at, string kind, string? step, string? dataText)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(actor);
        var seq = instance.JournalSeq + 1;
        var utc = at.ToUniversalTime();
        var previous = instance.JournalHead;
        var hash = ComputeHash(seq, utc, kind, actor.Name, actor.Source, step, dataText, previous);
        instance.JournalSeq = seq;
        instance.JournalHead = hash;
        return new JournalEntry(seq, utc, kind, actor.Name, actor.Source, step, dataText, previous, hash);
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

    /// <summary>
    /// SHA-256 (lowercase hex) of the fields joined by U+001F, in UTF-8: previous hash, sequence number, time
    /// (round-trip format, UTC), kind, actor, actor source, step, data.
    /// </summary>
    internal static string ComputeHash(long seq, DateTimeOffset at, string kind, string actor, string actorSource, string? step, string? data, string previousHash)
    {
        Span<char> seqText = stackalloc char[20];
        Span<char> atText = stackalloc char[40];
        seq.TryFormat(seqText, out var seqLength, provider: CultureInfo.InvariantCulture);
        at.ToUniversalTime().TryFormat(atText, out var atLength, "O", CultureInfo.InvariantCulture);
        step ??= "";
        data ??= "";
        var length = Utf8.GetMaxByteCount(previousHash.Length + seqLength + atLength + kind.Length + actor.Length + actorSource.Length + step.Length + data.Length) + 7;
        var rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        var buffer = rented ?? stackalloc byte[length];
        try
        {
            var written = 0;
            void Add(ReadOnlySpan<char> part, Span<byte> into, bool separator)
            {
                if (separator)
                {
                    into[written++] = 0x1F;
                }

                written += Utf8.GetBytes(part, into[written..]);
            }

            Add(previousHash, buffer, separator: false);
            Add(seqText[..seqLength], buffer, separator: true);
            Add(atText[..atLength], buffer, separator: true);
            Add(kind, buffer, separator: true);
            Add(actor, buffer, separator: true);
            Add(actorSource, buffer, separator: true);
            Add(step, buffer, separator: true);
            Add(data, buffer, separator: true);

            // One hasher per thread: the one-shot API sets up and tears down a native context for every entry.
            var hasher = _hasher ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Span<byte> hash = stackalloc byte[32];
            hasher.AppendData(buffer[..written]);
            hasher.GetHashAndReset(hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
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

    /// <summary>
    /// How the identity was established, recorded with every decision it takes: for a sign-in, the issuer, tenant,
    /// object id, user principal name, <c>auth_time</c> and <c>amr</c>; for an OS account, its uid or SID.
    /// </summary>
    public IReadOnlyDictionary<string, string> Claims { get; init; } = EmptyClaims;

    /// <summary>The groups the identity provider says it belongs to (for example Entra group object ids), besides the policy's groups.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    private static readonly IReadOnlyDictionary<string, string> EmptyClaims = new Dictionary<string, string>();
}
