using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MdiFlow.Serialization;

namespace MdiFlow.Lab.Profiles;

/// <summary>Reads host profiles from files or from the profiles built into the assembly.</summary>
internal static class LabProfileLoader
{
    private const string ResourcePrefix = "MdiFlow.Lab.Profiles.";

    private static readonly JsonSerializerOptions Options = new(MdiFlowJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
    };

    public static IReadOnlyList<string> BuiltInNames { get; } =
        [.. typeof(LabProfileLoader).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".json".Length])
            .Order(StringComparer.Ordinal)];

    public static LabProfile Load(string pathOrName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrName);
        if (File.Exists(pathOrName))
        {
            var path = Path.GetFullPath(pathOrName);
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new LabProfileException(path, [$"$: the file cannot be read ({ex.GetType().Name}: {ex.Message})."]);
            }

            return Parse(text, path, Path.GetFileNameWithoutExtension(path), Path.GetDirectoryName(path));
        }

        var name = pathOrName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? pathOrName[..^".json".Length] : pathOrName;
        if (name.IndexOfAny(['/', '\\']) < 0 && BuiltInNames.Contains(name, StringComparer.Ordinal))
        {
            using var stream = typeof(LabProfileLoader).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".json")!;
            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd(), "built-in " + name, name, folder: null);
        }

        throw new LabProfileException(pathOrName, [
            $"$: no such file, and no built-in profile has that name. Give a profile file, or one of: {string.Join(", ", BuiltInNames)}."]);
    }

    /// <summary>
    /// Parses and validates a profile's text; <paramref name="source"/> names it in errors. A profile may start from
    /// another (<c>"extends": "healthy-dc"</c>, a profile beside it or a built-in one): its objects are merged into the
    /// base's, property by property, and anything else (values, arrays) replaces the base's.
    /// </summary>
    public static LabProfile Parse(string json, string source, string name, string? folder = null)
    {
        LabProfile? profile;
        try
        {
            // A profile of its own is read from its text, so errors name their line; an extending one from the merged tree.
            var merged = Resolve(json, source, folder, depth: 0, out var extended);
            profile = extended ? merged.Deserialize<LabProfile>(Options) : JsonSerializer.Deserialize<LabProfile>(json, Options);
        }
        catch (JsonException ex)
        {
            // System.Text.Json appends "Path: ... | LineNumber: ..." to its messages; say it once, our way.
            var message = ex.Message;
            var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
            message = cut > 0 ? message[..cut] : message;
            var where = ex.LineNumber is { } line ? $" (line {line + 1})" : "";
            throw new LabProfileException(source, [$"{ex.Path ?? "$"}{where}: {message}"]);
        }

        catch (InvalidOperationException ex)
        {
            throw new LabProfileException(source, [$"$.extends: {ex.Message}"]);
        }

        if (profile is null)
        {
            throw new LabProfileException(source, ["$: the profile is null; it must be a JSON object."]);
        }

        var problems = LabProfileRules.Check(profile);
        return problems.Count > 0 ? throw new LabProfileException(source, problems) : profile with { Name = name };
    }

    private static JsonObject Resolve(string json, string source, string? folder, int depth, out bool extended)
    {
        extended = false;
        var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
            ?? throw new JsonException("The profile is not a JSON object.");
        if (node["extends"] is not JsonValue extends)
        {
            return node;
        }

        extended = true;
        var baseName = extends.GetValue<string>();
        if (depth >= 5)
        {
            throw new InvalidOperationException($"'{baseName}' extends profiles more than five deep; a cycle?");
        }

        node.Remove("extends");
        var sibling = folder is null ? null : Path.Combine(folder, baseName + ".json");
        string baseText;
        if (sibling is not null && File.Exists(sibling))
        {
            baseText = File.ReadAllText(sibling);
        }
        else if (baseName.IndexOfAny(['/', '\\']) < 0 && BuiltInNames.Contains(baseName, StringComparer.Ordinal))
        {
            using var stream = typeof(LabProfileLoader).Assembly.GetManifestResourceStream(ResourcePrefix + baseName + ".json")!;
            using var reader = new StreamReader(stream);
            baseText = reader.ReadToEnd();
        }
        else
        {
            throw new InvalidOperationException($"'{baseName}' is neither a profile beside {source} nor a built-in profile ({string.Join(", ", BuiltInNames)}).");
        }

        var merged = Resolve(baseText, baseName, sibling is not null && File.Exists(sibling) ? folder : null, depth + 1, out _);
        Merge(merged, node);
        return merged;
    }

    /// <summary>Merges <paramref name="overlay"/> into <paramref name="target"/>: objects property by property, the rest replaced.</summary>
    private static void Merge(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay.ToList())
        {
            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}
