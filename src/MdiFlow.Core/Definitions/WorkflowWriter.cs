using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Serialization;

namespace MdiFlow.Definitions;

/// <summary>
/// Writes a definition in its canonical JSON form: the file format, in a fixed order, with defaults
/// made explicit. Instances snapshot this form, and its SHA-256 is the definition's hash.
/// </summary>
public static class WorkflowWriter
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    [ThreadStatic]
    private static IncrementalHash? _hasher;

    /// <summary>The canonical JSON of a definition: the tree of exactly the bytes its hash is computed over.</summary>
    public static JsonObject ToJson(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, definition);
        }

        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    /// <summary>The SHA-256 (lowercase hex) of the canonical JSON.</summary>
    public static string Hash(WorkflowDefinition definition)
    {
        Span<byte> hash = stackalloc byte[32];
        HashCanonical(definition, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Writes the canonical JSON of <paramref name="definition"/> straight into a reused buffer and hashes it:
    /// the same bytes as <see cref="ToJson"/> followed by <c>ToJsonString()</c>, without building the tree.
    /// </summary>
    internal static void HashCanonical(WorkflowDefinition definition, Span<byte> hash)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = _writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        WriteCanonical(writer, definition);
        writer.Flush();
        var hasher = _hasher ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hasher.AppendData(buffer.WrittenSpan);
        hasher.GetHashAndReset(hash);
        if (buffer.Capacity > 1 << 20)
        {
            _buffer = null; // do not keep a huge definition's buffer for the life of the thread
            _writer = null;
        }
    }

    private static void WriteCanonical(Utf8JsonWriter w, WorkflowDefinition definition)
    {
        w.WriteStartObject();
        w.WriteString("id", definition.Id);
        w.WriteString("version", definition.Version);
        if (definition.Title is not null)
        {
            w.WriteString("title", definition.Title);
        }

        w.WriteStartObject("inputs");
        var inputs = definition.Inputs;
        for (var i = 0; i < inputs.Count; i++)
        {
            // Two inputs with one name (only an invalid definition has them): the name once, where it first stands, with the last one's settings.
            if (EarlierOfSameName(inputs, i))
            {
                continue;
            }

            var input = LastOfSameName(inputs, i);
            w.WriteStartObject(input.Name);
            w.WriteString("type", input.Type);
            w.WriteBoolean("required", input.Required);
            w.WriteBoolean("secret", input.Secret);
            if (input.Default is not null)
            {
                w.WritePropertyName("default");
                input.Default.WriteTo(w);
            }

            if (input.Description is not null)
            {
                w.WriteString("description", input.Description);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        if (definition.Retry is not null)
        {
            WriteRetry(w, definition.Retry);
        }

        w.WriteStartArray("steps");
        foreach (var step in definition.Steps)
        {
            w.WriteStartObject();
            w.WriteString("id", step.Id);
            w.WriteString("uses", step.Uses);
            if (step.Title is not null)
            {
                w.WriteString("title", step.Title);
            }

            w.WritePropertyName("with");
            step.With.WriteTo(w);
            if (step.When is not null)
            {
                w.WriteString("when", step.When);
            }

            if (step.Retry is not null)
            {
                WriteRetry(w, step.Retry);
            }

            if (step.Timeout is { } timeout)
            {
                w.WriteString("timeout", Duration.Format(timeout));
            }

            if (step.TotalTimeout is { } total)
            {
                w.WriteString("totalTimeout", Duration.Format(total));
            }

            w.WriteBoolean("skippable", step.Skippable);
            if (step.Rehearse == StepRehearsal.Run)
            {
                w.WriteString("rehearse", "run");
            }

            if (step.OnFailure == StepFailure.Continue)
            {
                w.WriteString("onFailure", "continue");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static bool EarlierOfSameName(IReadOnlyList<InputDefinition> inputs, int index)
    {
        for (var j = 0; j < index; j++)
        {
            if (inputs[j].Name == inputs[index].Name)
            {
                return true;
            }
        }

        return false;
    }

    private static InputDefinition LastOfSameName(IReadOnlyList<InputDefinition> inputs, int index)
    {
        var last = inputs[index];
        for (var j = index + 1; j < inputs.Count; j++)
        {
            if (inputs[j].Name == last.Name)
            {
                last = inputs[j];
            }
        }

        return last;
    }

    private static void WriteRetry(Utf8JsonWriter w, RetryPolicy retry)
    {
        w.WriteStartObject("retry");
        w.WriteNumber("maxAttempts", retry.MaxAttempts);
        w.WriteString("initialDelay", Duration.Format(retry.InitialDelay));
        w.WriteNumber("backoffCoefficient", retry.BackoffCoefficient);
        w.WriteString("maxDelay", Duration.Format(retry.MaxDelay));
        w.WriteNumber("jitter", retry.Jitter);
        w.WriteStartArray("nonRetryable");
        foreach (var code in retry.NonRetryable)
        {
            w.WriteStringValue(code);
        }

        w.WriteEndArray();
        if (retry.On.Count > 0)
        {
            w.WriteStartArray("on");
            foreach (var code in retry.On)
            {
                w.WriteStringValue(code);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>The SHA-256 (lowercase hex) of canonical JSON already written.</summary>
    public static string Hash(JsonObject canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));
    }
}
