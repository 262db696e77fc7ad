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

    /// <summary>The canonical JSON of a definition.</summary>
    public static JsonObject ToJson(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var root = new JsonObject { ["id"] = definition.Id, ["version"] = definition.Version };
        if (definition.Title is not null)
        {
            root["title"] = definition.Title;
        }

        var inputs = new JsonObject();
        foreach (var input in definition.Inputs)
        {
            var o = new JsonObject { ["type"] = input.Type, ["required"] = input.Required, ["secret"] = input.Secret };
            if (input.Default is not null)
            {
                o["default"] = input.Default.DeepClone();
            }

            if (input.Description is not null)
            {
                o["description"] = input.Description;
            }

            inputs[input.Name] = o;
        }

        root["inputs"] = inputs;
        if (definition.Retry is not null)
        {
            root["retry"] = Retry(definition.Retry);
        }

        var steps = new JsonArray();
        foreach (var step in definition.Steps)
        {
            var o = new JsonObject { ["id"] = step.Id, ["uses"] = step.Uses };
            if (step.Title is not null)
            {
                o["title"] = step.Title;
            }

            o["with"] = step.With.DeepClone();
            if (step.When is not null)
            {
                o["when"] = step.When;
            }

            if (step.Retry is not null)
            {
                o["retry"] = Retry(step.Retry);
            }

            if (step.Timeout is { } timeout)
            {
                o["timeout"] = Duration.Format(timeout);
            }

            if (step.TotalTimeout is { } total)
            {
                o["totalTimeout"] = Duration.Format(total);
            }

            o["skippable"] = step.Skippable;
            if (step.Rehearse == StepRehearsal.Run)
            {
                o["rehearse"] = "run";
            }

            // Written only when set, so the hashes of definitions written before it existed stay the same.
            if (step.OnFailure == StepFailure.Continue)
            {
                o["onFailure"] = "continue";
            }

            steps.Add(o);
        }

        root["steps"] = steps;
        return root;
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
        if (HasDuplicateInputs(definition))
        {
            // The tree keeps the last of two inputs with one name; only an invalid definition has them.
            SHA256.HashData(Encoding.UTF8.GetBytes(ToJson(definition).ToJsonString()), hash);
            return;
        }

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

    private static bool HasDuplicateInputs(WorkflowDefinition definition)
    {
        var inputs = definition.Inputs;
        for (var i = 1; i < inputs.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (inputs[i].Name == inputs[j].Name)
                {
                    return true;
                }
            }
        }

        return false;
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
        foreach (var input in definition.Inputs)
        {
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

    private static JsonObject Retry(RetryPolicy retry)
    {
        var o = new JsonObject
        {
            ["maxAttempts"] = retry.MaxAttempts,
            ["initialDelay"] = Duration.Format(retry.InitialDelay),
            ["backoffCoefficient"] = retry.BackoffCoefficient,
            ["maxDelay"] = Duration.Format(retry.MaxDelay),
            ["jitter"] = retry.Jitter,
            ["nonRetryable"] = new JsonArray([.. retry.NonRetryable.Select(c => (JsonNode?)JsonValue.Create(c))]),
        };

        // Written only when set, so the hashes of definitions written before it existed stay the same.
        if (retry.On.Count > 0)
        {
            o["on"] = new JsonArray([.. retry.On.Select(c => (JsonNode?)JsonValue.Create(c))]);
        }

        return o;
    }
}
