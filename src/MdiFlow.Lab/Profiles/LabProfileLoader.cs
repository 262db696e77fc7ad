using System.Reflection;
using System.Text.Json;
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

            return Parse(text, path, Path.GetFileNameWithoutExtension(path));
        }

        var name = pathOrName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? pathOrName[..^".json".Length] : pathOrName;
        if (name.IndexOfAny(['/', '\\']) < 0 && BuiltInNames.Contains(name, StringComparer.Ordinal))
        {
            using var stream = typeof(LabProfileLoader).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".json")!;
            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd(), "built-in " + name, name);
        }

        throw new LabProfileException(pathOrName, [
            $"$: no such file, and no built-in profile has that name. Give a profile file, or one of: {string.Join(", ", BuiltInNames)}."]);
    }

    /// <summary>Parses and validates a profile's text; <paramref name="source"/> names it in errors.</summary>
    public static LabProfile Parse(string json, string source, string name)
    {
        LabProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<LabProfile>(json, Options);
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

        if (profile is null)
        {
            throw new LabProfileException(source, ["$: the profile is null; it must be a JSON object."]);
        }

        var problems = LabProfileRules.Check(profile);
        return problems.Count > 0 ? throw new LabProfileException(source, problems) : profile with { Name = name };
    }
}
