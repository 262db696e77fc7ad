using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MdiFlow.Instances;

/// <summary>The id of one workflow instance: 26 lowercase characters, time-ordered.</summary>
[JsonConverter(typeof(InstanceIdJsonConverter))]
public readonly record struct InstanceId
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>Wraps an existing id.</summary>
    public InstanceId(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
    }

    /// <summary>The id as text.</summary>
    public string Value { get; }

    /// <summary>Creates a new id whose text sorts by creation time (a ULID in Crockford base 32).</summary>
    public static InstanceId New(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)time.GetUtcNow().ToUnixTimeMilliseconds() << 16);
        RandomNumberGenerator.Fill(bytes[6..]);
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new InstanceId(new string(chars));
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}

internal sealed class InstanceIdJsonConverter : JsonConverter<InstanceId>
{
    public override InstanceId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("An instance id cannot be null."));

    public override void Write(Utf8JsonWriter writer, InstanceId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
