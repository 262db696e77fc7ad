using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MdiFlow.Journal;

/// <summary>
/// The keyed MACs of the record: HMAC-SHA256 under the store's <see cref="JournalKey"/>, over length-prefixed UTF-8
/// fields (so no field can bleed into the next), with a purpose label first so a journal MAC is never a seal.
/// </summary>
internal static class JournalMac
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    // One HMAC per thread and key: the one-shot API sets up and tears down a native context for every entry.
    [ThreadStatic]
    private static JournalKey? _threadKey;

    [ThreadStatic]
    private static IncrementalHash? _threadHmac;

    /// <summary>
    /// The MAC of one journal entry: purpose, instance id, sequence number, time (round-trip format, UTC), kind,
    /// actor, actor source, step, data and the previous entry's MAC.
    /// </summary>
    public static string Entry(JournalKey key, string instanceId, long seq, DateTimeOffset at, string kind, string actor, string actorSource, string? step, string? data, string previousMac)
    {
        Span<char> seqText = stackalloc char[20];
        Span<char> atText = stackalloc char[40];
        seq.TryFormat(seqText, out var seqLength, provider: CultureInfo.InvariantCulture);
        at.ToUniversalTime().TryFormat(atText, out var atLength, "O", CultureInfo.InvariantCulture);
        step ??= "";
        data ??= "";
        ReadOnlySpan<char> purpose = "mdiflow-journal-v1";
        var length = Utf8.GetMaxByteCount(purpose.Length + instanceId.Length + seqLength + atLength + kind.Length + actor.Length + actorSource.Length + step.Length + data.Length + previousMac.Length) + (10 * sizeof(int));
        var rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        var buffer = rented ?? stackalloc byte[length];
        try
        {
            var written = 0;
            Add(purpose, buffer, ref written);
            Add(instanceId, buffer, ref written);
            Add(seqText[..seqLength], buffer, ref written);
            Add(atText[..atLength], buffer, ref written);
            Add(kind, buffer, ref written);
            Add(actor, buffer, ref written);
            Add(actorSource, buffer, ref written);
            Add(step, buffer, ref written);
            Add(data, buffer, ref written);
            Add(previousMac, buffer, ref written);
            return Hex(key, buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The seal of a stored instance document: purpose, instance id, and the document text as stored.</summary>
    public static string Document(JournalKey key, string instanceId, string document)
    {
        ReadOnlySpan<char> purpose = "mdiflow-document-v1";
        var length = Utf8.GetMaxByteCount(purpose.Length + instanceId.Length + document.Length) + (3 * sizeof(int));
        var rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        var buffer = rented ?? stackalloc byte[length];
        try
        {
            var written = 0;
            Add(purpose, buffer, ref written);
            Add(instanceId, buffer, ref written);
            Add(document, buffer, ref written);
            return Hex(key, buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Compares two MACs in constant time.</summary>
    public static bool Same(string expected, string actual) =>
        expected.Length == actual.Length
        && CryptographicOperations.FixedTimeEquals(MemoryMarshalBytes(expected), MemoryMarshalBytes(actual));

    private static ReadOnlySpan<byte> MemoryMarshalBytes(string text) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan());

    private static void Add(ReadOnlySpan<char> part, Span<byte> into, ref int written)
    {
        var count = Utf8.GetBytes(part, into[(written + sizeof(int))..]);
        BinaryPrimitives.WriteInt32LittleEndian(into[written..], count);
        written += sizeof(int) + count;
    }

    private static string Hex(JournalKey key, ReadOnlySpan<byte> data)
    {
        if (!ReferenceEquals(_threadKey, key) || _threadHmac is null)
        {
            _threadHmac?.Dispose();
            _threadHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Secret);
            _threadKey = key;
        }

        Span<byte> mac = stackalloc byte[32];
        _threadHmac.AppendData(data);
        _threadHmac.GetHashAndReset(mac);
        return Convert.ToHexStringLower(mac);
    }
}
