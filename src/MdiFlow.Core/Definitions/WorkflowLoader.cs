using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MdiFlow.Serialization;

namespace MdiFlow.Definitions;

/// <summary>
/// Reads workflow JSON (comments and trailing commas allowed) into a <see cref="WorkflowDefinition"/>,
/// collecting every structural mistake with its JSON path and line. Checking against the installed
/// activities is <see cref="WorkflowValidator"/>'s job, the one public way to load a workflow: it runs this reader
/// and its own checks in one pass.
/// </summary>
internal static partial class WorkflowLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64, AllowDuplicateProperties = false };
    private static readonly string[] RootProperties = ["$schema", "id", "version", "title", "description", "inputs", "retry", "steps"];
    private static readonly string[] InputProperties = ["type", "required", "default", "secret", "description"];
    private static readonly string[] StepProperties = ["id", "uses", "title", "with", "when", "retry", "timeout", "totalTimeout", "skippable", "rehearse", "onFailure"];
    private static readonly string[] RetryProperties = ["maxAttempts", "initialDelay", "backoffCoefficient", "maxDelay", "jitter", "nonRetryable", "on"];
    private static readonly string[] InputTypes = ["string", "number", "boolean", "object", "array"];

    /// <summary>Loads a workflow file (a regular UTF-8 file of at most <see cref="TextFile.DefaultLimit"/> bytes).</summary>
    public static LoadResult LoadFile(string path)
    {
        var draft = ReadFile(path, out _);
        return draft.ToResult();
    }

    /// <summary>Parses workflow JSON text.</summary>
    public static LoadResult Parse(string json) => Read(json).ToResult();

    /// <summary>Reads a workflow file into a draft, handing back its text (for line numbers).</summary>
    public static Draft ReadFile(string path, out string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!TextFile.TryRead(path, out text, out var problem))
        {
            return new Draft(null, [new WorkflowError("$", problem + ".") { Code = WorkflowErrorCodes.File }], JsonLineMap.Empty);
        }

        return Read(text);
    }

    /// <summary>
    /// Reads workflow JSON into a draft: the definition as far as it could be read (a step with a missing id or
    /// activity keeps its place, so later checks name the right positions) and every structural mistake.
    /// </summary>
    public static Draft Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            return new Draft(null, [new WorkflowError(ex.Path ?? "$", $"not valid JSON: {FirstSentence(ex.Message)}", (int?)(ex.LineNumber + 1)) { Code = WorkflowErrorCodes.Json }], JsonLineMap.Empty);
        }
        catch (ArgumentException ex)
        {
            // A repeated property that the reader let through to the tree.
            return new Draft(null, [new WorkflowError("$", $"not valid JSON: {ex.Message}") { Code = WorkflowErrorCodes.Json }], JsonLineMap.Empty);
        }

        var lines = JsonLineMap.Build(json);
        var reader = new Reader(lines);
        var definition = reader.Root(root);
        return new Draft(definition, reader.Errors, lines);
    }

    /// <summary>Reads a definition from its canonical JSON (an instance's snapshot).</summary>
    /// <exception cref="WorkflowValidationException">The JSON is not a workflow.</exception>
    public static WorkflowDefinition FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var reader = new Reader(JsonLineMap.Empty);
        var definition = reader.Root(json);
        return reader.Errors.Count == 0 && definition is not null && reader.Complete
            ? definition
            : throw new WorkflowValidationException("The stored definition", reader.Errors);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex WorkflowIdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex NamePattern();

    private sealed class Reader(JsonLineMap lines)
    {
        public List<WorkflowError> Errors { get; } = [];

        /// <summary>False when a step had to be kept as a placeholder (no id or no activity).</summary>
        public bool Complete { get; private set; } = true;

        public WorkflowDefinition? Root(JsonNode? node)
        {
            if (node is not JsonObject root)
            {
                Error("$", "a workflow must be a JSON object with \"id\" and \"steps\".");
                return null;
            }

            Known(root, "$", RootProperties);
            var id = String(root, "$", "id", required: true, WorkflowIdPattern(), "letters, digits, '.', '_' or '-'");
            var version = root["version"] switch
            {
                null => "1",
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
                _ => Invalid("$.version", "must be a string or a number.", "1"),
            };
            var title = String(root, "$", "title", required: false);
            var inputs = Inputs(root["inputs"]);
            var retry = root["retry"] is { } r ? Retry(r, "$.retry") : null;
            var steps = Steps(root["steps"]);
            return new WorkflowDefinition { Id = id ?? "", Version = version, Title = title, Inputs = inputs, Retry = retry, Steps = steps };
        }

        private List<InputDefinition> Inputs(JsonNode? node)
        {
            var result = new List<InputDefinition>();
            if (node is null)
            {
                return result;
            }

            if (node is not JsonObject inputs)
            {
                Error("$.inputs", "must be an object: { \"name\": { \"type\": \"string\", \"required\": true } }.");
                return result;
            }

            foreach (var (name, value) in inputs)
            {
                var path = $"$.inputs.{name}";
                if (!NamePattern().IsMatch(name))
                {
                    Error(path, "an input name must start with a letter or '_' and hold only letters, digits, '_' or '-'.");
                }

                if (value is not JsonObject input)
                {
                    Error(path, "must be an object such as { \"type\": \"string\" }.");
                    continue;
                }

                Known(input, path, InputProperties);
                var type = String(input, path, "type", required: false) ?? "string";
                if (!InputTypes.Contains(type))
                {
                    Error(path + ".type", $"'{type}' is not a type; use one of: {string.Join(", ", InputTypes)}.");
                }

                result.Add(new InputDefinition
                {
                    Name = name,
                    Type = type,
                    Required = Bool(input, path, "required") ?? false,
                    Default = input["default"]?.DeepClone(),
                    Secret = Bool(input, path, "secret") ?? false,
                    Description = String(input, path, "description", required: false),
                });
            }

            return result;
        }

        private List<StepDefinition> Steps(JsonNode? node)
        {
            var result = new List<StepDefinition>();
            if (node is not JsonArray steps || steps.Count == 0)
            {
                Error("$.steps", "a workflow needs a non-empty \"steps\" array.");
                return result;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < steps.Count; i++)
            {
                var path = $"$.steps[{i}]";
                if (steps[i] is not JsonObject step)
                {
                    Error(path, "a step must be an object with \"id\" and \"uses\".");
                    result.Add(Placeholder());
                    continue;
                }

                Known(step, path, StepProperties);
                var id = String(step, path, "id", required: true, NamePattern(), "a letter or '_' first, then letters, digits, '_' or '-'");
                if (id is not null && !seen.Add(id))
                {
                    Error(path + ".id", $"the step id '{id}' is used twice; step ids must be unique.");
                }

                var uses = String(step, path, "uses", required: true);
                JsonObject with = [];
                if (step["with"] is { } w)
                {
                    if (w is JsonObject wo)
                    {
                        with = (JsonObject)wo.DeepClone();
                    }
                    else
                    {
                        Error(path + ".with", "must be an object of the activity's inputs.");
                    }
                }

                var rehearse = String(step, path, "rehearse", required: false) switch
                {
                    null or "double" => StepRehearsal.Double,
                    "run" => StepRehearsal.Run,
                    var other => Invalid(path + ".rehearse", $"'{other}' is not a rehearsal choice; use \"double\" (the default) or \"run\".", StepRehearsal.Double),
                };
                var onFailure = String(step, path, "onFailure", required: false) switch
                {
                    null or "stop" => StepFailure.Stop,
                    "continue" => StepFailure.Continue,
                    var other => Invalid(path + ".onFailure", $"'{other}' is not a failure choice; use \"stop\" (the default) or \"continue\".", StepFailure.Stop),
                };
                var timeout = PositiveDuration(step, path, "timeout");
                var totalTimeout = PositiveDuration(step, path, "totalTimeout");
                if (id is null || uses is null)
                {
                    result.Add(Placeholder());
                    continue;
                }

                result.Add(new StepDefinition
                {
                    Id = id,
                    Uses = uses,
                    Title = String(step, path, "title", required: false),
                    With = with,
                    When = String(step, path, "when", required: false),
                    Retry = step["retry"] is { } r ? Retry(r, path + ".retry") : null,
                    Timeout = timeout,
                    TotalTimeout = totalTimeout,
                    Skippable = Bool(step, path, "skippable") ?? true,
                    Rehearse = rehearse,
                    OnFailure = onFailure,
                });
            }

            return result;
        }

        /// <summary>Keeps the place of a step that cannot be read, so the positions of the steps after it stay right.</summary>
        private StepDefinition Placeholder()
        {
            Complete = false;
            return new StepDefinition { Id = "", Uses = "" };
        }

        private RetryPolicy? Retry(JsonNode node, string path)
        {
            if (node is not JsonObject retry)
            {
                Error(path, "must be an object such as { \"maxAttempts\": 3, \"initialDelay\": \"PT10S\" }.");
                return null;
            }

            Known(retry, path, RetryProperties);
            var policy = new RetryPolicy();
            if (Number(retry, path, "maxAttempts") is { } max)
            {
                if (max < 1 || max > 100 || max != Math.Floor(max))
                {
                    Error(path + ".maxAttempts", "must be a whole number from 1 to 100.");
                }
                else
                {
                    policy = policy with { MaxAttempts = (int)max };
                }
            }

            policy = policy with
            {
                InitialDelay = DurationOf(retry, path, "initialDelay") ?? policy.InitialDelay,
                MaxDelay = DurationOf(retry, path, "maxDelay") ?? policy.MaxDelay,
            };
            if (Number(retry, path, "backoffCoefficient") is { } backoff)
            {
                if (backoff < 1)
                {
                    Error(path + ".backoffCoefficient", "must be 1 or more.");
                }
                else
                {
                    policy = policy with { BackoffCoefficient = backoff };
                }
            }

            if (Number(retry, path, "jitter") is { } jitter)
            {
                if (jitter is < 0 or > 1)
                {
                    Error(path + ".jitter", "must be between 0 and 1.");
                }
                else
                {
                    policy = policy with { Jitter = jitter };
                }
            }

            policy = policy with
            {
                NonRetryable = Codes(retry, path, "nonRetryable") ?? policy.NonRetryable,
                On = Codes(retry, path, "on") ?? policy.On,
            };
            return policy;
        }

        private List<string>? Codes(JsonObject retry, string path, string name)
        {
            if (retry[name] is not { } node)
            {
                return null;
            }

            if (node is JsonArray codes && codes.All(c => c is JsonValue v && v.GetValueKind() == JsonValueKind.String))
            {
                return [.. codes.Select(c => c!.GetValue<string>())];
            }

            Error($"{path}.{name}", "must be an array of error codes (strings).");
            return null;
        }

        private TimeSpan? PositiveDuration(JsonObject o, string path, string name)
        {
            var value = DurationOf(o, path, name);
            if (value == TimeSpan.Zero)
            {
                Error($"{path}.{name}", "must be longer than zero.");
                return null;
            }

            return value;
        }

        private TimeSpan? DurationOf(JsonObject o, string path, string name)
        {
            if (String(o, path, name, required: false) is not { } text)
            {
                return null;
            }

            if (Duration.TryParse(text, out var value))
            {
                return value;
            }

            Error($"{path}.{name}", $"'{text}' is not {Duration.Expected}.");
            return null;
        }

        private void Known(JsonObject o, string path, string[] allowed)
        {
            foreach (var (name, _) in o)
            {
                if (!allowed.Contains(name))
                {
                    Error($"{path}.{name}", $"unknown property '{name}'.{Suggestions.DidYouMean(name, allowed)} Expected one of: {string.Join(", ", allowed)}.");
                }
            }
        }

        private string? String(JsonObject o, string path, string name, bool required, Regex? pattern = null, string? patternText = null)
        {
            var node = o[name];
            if (node is null)
            {
                if (required)
                {
                    Error(path, $"\"{name}\" is required.");
                }

                return null;
            }

            if (node is not JsonValue v || !v.TryGetValue<string>(out var s))
            {
                Error($"{path}.{name}", "must be a string.");
                return null;
            }

            if (pattern is not null && !pattern.IsMatch(s))
            {
                Error($"{path}.{name}", $"'{s}' is not valid here: use {patternText}.");
                return null;
            }

            return s;
        }

        private bool? Bool(JsonObject o, string path, string name)
        {
            var node = o[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.TryGetValue<bool>(out var b))
            {
                return b;
            }

            Error($"{path}.{name}", "must be true or false.");
            return null;
        }

        private double? Number(JsonObject o, string path, string name)
        {
            var node = o[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
            {
                return Expressions.Truth.AsNumber(v);
            }

            Error($"{path}.{name}", "must be a number.");
            return null;
        }

        private T Invalid<T>(string path, string message, T fallback)
        {
            Error(path, message);
            return fallback;
        }

        private void Error(string path, string message) => Errors.Add(new WorkflowError(path, message, lines.LineOf(path)));
    }
}

/// <summary>The outcome of loading a workflow: a definition, or the mistakes that prevent it.</summary>
/// <param name="Definition">The definition when there are no errors.</param>
/// <param name="Errors">Every mistake found.</param>
public sealed record LoadResult(WorkflowDefinition? Definition, IReadOnlyList<WorkflowError> Errors)
{
    /// <summary>What is allowed but likely a mistake (for example a binding to the output of a step that may fail and be continued past).</summary>
    public IReadOnlyList<WorkflowError> Warnings { get; init; } = [];
}

/// <summary>A workflow as far as it could be read (null when it is not a JSON object), with its structural mistakes.</summary>
internal sealed record Draft(WorkflowDefinition? Definition, IReadOnlyList<WorkflowError> Errors, JsonLineMap Lines)
{
    public LoadResult ToResult() => new(Errors.Count == 0 ? Definition : null, Errors);
}
