using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Serialization;

namespace MdiFlow.Cli.Commands;

/// <summary>Inputs from the command line: <c>--input NAME=VALUE</c>, <c>--inputs FILE.json</c>, <c>--secret NAME=env:VAR|file:PATH</c>.</summary>
internal static class WorkflowInputs
{
    public static JsonObject Values(string? inputsFile, IEnumerable<string> pairs)
    {
        var result = new JsonObject();
        if (inputsFile is not null)
        {
            if (!TextFile.TryRead(inputsFile, out var text, out var problem))
            {
                throw new UsageException($"--inputs: {problem}.");
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false });
            }
            catch (JsonException ex)
            {
                throw new UsageException($"--inputs: '{inputsFile}' is not valid JSON (line {ex.LineNumber + 1}): {ex.Message}");
            }

            if (node is not JsonObject o)
            {
                throw new UsageException($"--inputs: '{inputsFile}' must hold a JSON object of input values, such as {{ \"workspace\": \"contoso\" }}.");
            }

            foreach (var (name, value) in o)
            {
                result[name] = value?.DeepClone();
            }
        }

        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in Split(pairs, "--input"))
        {
            if (!given.Add(name))
            {
                throw new UsageException($"--input {name} is given twice; give each input once.");
            }

            result[name] = JsonValue.Create(value);
        }

        return result;
    }

    public static Dictionary<string, string> Secrets(IEnumerable<string> pairs)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Split(pairs, "--secret"))
        {
            if (!secrets.TryAdd(name, value))
            {
                throw new UsageException($"--secret {name} is given twice; give each secret once (by reference: env:VARIABLE or file:PATH).");
            }
        }

        return secrets;
    }

    private static IEnumerable<(string Name, string Value)> Split(IEnumerable<string> pairs, string option)
    {
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                // Never echo the text: it may be a secret given by mistake.
                throw new UsageException($"{option} expects NAME=VALUE; one value has no '=' after a name.");
            }

            yield return (pair[..eq].Trim(), pair[(eq + 1)..]);
        }
    }
}
