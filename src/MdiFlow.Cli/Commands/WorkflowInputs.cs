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
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(File.ReadAllText(inputsFile), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--inputs: cannot read '{inputsFile}': {ex.Message}");
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

        foreach (var (name, value) in Split(pairs, "--input"))
        {
            result[name] = JsonValue.Create(value);
        }

        return result;
    }

    public static Dictionary<string, string> Secrets(IEnumerable<string> pairs) =>
        Split(pairs, "--secret").ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

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
