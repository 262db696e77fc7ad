using System.Text;
using System.Text.Json;
using MdiFlow.Engine;
using MdiFlow.Security;
using MdiFlow.Serialization;
using Microsoft.Extensions.Configuration;

namespace MdiFlow.Cli.Configuration;

/// <summary>
/// The configuration of one command line, with one precedence, lowest first: the built-in defaults, then
/// <c>mdiflow.json</c> in the system location, the user's, and the file <c>--config</c> names, then <c>MDIFLOW_...</c>
/// environment variables (Microsoft.Extensions.Configuration's conventions: <c>MDIFLOW_GRAPH__TENANTID</c>), then
/// the command's flags. Every value keeps where it came from, for <c>config show</c> and for messages.
/// </summary>
/// <remarks>
/// The organisation policy is not configuration: it comes only from its trusted installed place. A layer may name a
/// policy overlay (<see cref="Settings.Policy"/>), which can only tighten it; every layer's overlay is applied.
/// </remarks>
internal sealed class CliConfiguration
{
    private readonly IReadOnlyList<Layer> _layers;

    private CliConfiguration(IReadOnlyList<Layer> layers, IReadOnlyList<string> files)
    {
        _layers = layers;
        Files = files;
    }

    /// <summary>The system location: <c>/etc/mdiflow/mdiflow.json</c>, <c>%ProgramData%\MdiFlow\mdiflow.json</c> on Windows.</summary>
    public static string SystemFile { get; } = OperatingSystem.IsWindows()
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "MdiFlow", "mdiflow.json")
        : "/etc/mdiflow/mdiflow.json";

    /// <summary>The user's: <c>$XDG_CONFIG_HOME/mdiflow/mdiflow.json</c> (<c>~/.config/...</c>), <c>%APPDATA%\MdiFlow\mdiflow.json</c> on Windows.</summary>
    public static string UserFile => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), OperatingSystem.IsWindows() ? "MdiFlow" : "mdiflow", "mdiflow.json");

    /// <summary>The files this configuration looked for, each with whether it was read.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>
    /// Reads every layer and checks every value; all mistakes are reported at once.
    /// </summary>
    /// <param name="configFile">The file <c>--config</c> names (it must exist), or null.</param>
    /// <param name="flags">The values the command's own flags set, by setting key.</param>
    /// <exception cref="UsageException">A file is not valid JSON, names an unknown setting, or a value is not one the setting takes.</exception>
    /// <exception cref="ActionNotAllowedException">A file could be changed by someone other than its owner or an administrator.</exception>
    public static CliConfiguration Load(string? configFile, IReadOnlyDictionary<string, string> flags)
    {
        var problems = new List<string>();
        var files = new List<string>();
        var defaults = Settings.All.Where(s => s.Default is not null).ToDictionary(s => s.Key, s => s.Default);
        var layers = new List<Layer> { new("built-in default", Memory(defaults)) };
        AddFile(layers, files, problems, SystemFile, "system", TrustedOwners.Administrators, required: false);
        AddFile(layers, files, problems, UserFile, "user", TrustedOwners.AdministratorsOrCaller, required: false);
        if (configFile is not null)
        {
            AddFile(layers, files, problems, configFile, "--config", TrustedOwners.AdministratorsOrCaller, required: true);
        }

        layers.Add(new Layer("environment", Build(b => b.AddEnvironmentVariables("MDIFLOW_")), Environment: true));
        layers.Add(new Layer("flag", Memory(flags.ToDictionary(p => p.Key, p => (string?)p.Value))));
        var configuration = new CliConfiguration(layers, files);
        foreach (var setting in Settings.All)
        {
            foreach (var (value, source) in configuration.Everywhere(setting))
            {
                if (SettingValues.Problem(setting, value) is { } problem)
                {
                    problems.Add($"{setting.Display} from {source}: {problem}");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new UsageException($"The configuration cannot be used: {string.Join(" ", problems.Select(p => p.TrimEnd('.') + "."))} ('mdiflow config show' lists every setting; see docs/configuration.md.)");
        }

        return configuration;
    }

    /// <summary>The value in force and where it came from, or null when no layer sets it.</summary>
    public (string Value, string Source)? Get(Setting setting)
    {
        for (var i = _layers.Count - 1; i >= 0; i--)
        {
            if (_layers[i].Provider.TryGet(setting.Key, out var value) && !string.IsNullOrEmpty(value))
            {
                return (value, _layers[i].SourceOf(setting));
            }
        }

        return null;
    }

    public string? Value(Setting setting) => Get(setting)?.Value;

    /// <summary>Whether the value in force was given by one of the command's flags.</summary>
    public bool FromFlag(Setting setting) => _layers[^1].Provider.TryGet(setting.Key, out var value) && !string.IsNullOrEmpty(value);

    /// <summary>Every layer's value of <paramref name="setting"/>, lowest first (for the policy overlays, which all apply).</summary>
    public IEnumerable<(string Value, string Source)> Everywhere(Setting setting)
    {
        foreach (var layer in _layers)
        {
            if (layer.Provider.TryGet(setting.Key, out var value) && !string.IsNullOrEmpty(value))
            {
                yield return (value, layer.SourceOf(setting));
            }
        }
    }

    private static void AddFile(List<Layer> layers, List<string> files, List<string> problems, string path, string kind, TrustedOwners owners, bool required)
    {
        var status = FileStatus.Of(path);
        if (!status.Exists)
        {
            if (required)
            {
                problems.Add($"--config names '{path}', which does not exist");
            }

            files.Add($"{path} ({kind}: not present)");
            return;
        }

        if (TrustedFile.Problem(path, owners, secret: false) is { } untrusted)
        {
            throw new ActionNotAllowedException($"The configuration file {path} ({kind}) is not used, because others could change it: {untrusted}");
        }

        if (!TextFile.TryRead(path, out var text, out var unreadable))
        {
            problems.Add($"{path}: {unreadable}");
            return;
        }

        try
        {
            using var _ = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            problems.Add($"{path} is not valid JSON (line {ex.LineNumber + 1}): {ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0]}");
            return;
        }

        var provider = Build(b => b.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(text))));
        foreach (var key in Keys(provider, null))
        {
            if (key != "$schema" && Settings.Find(key) is null && !Settings.All.Any(s => s.Key.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{path} sets '{key.Replace(':', '.')}', which is not a setting ({Suggestion(key)})");
            }
        }

        files.Add($"{path} ({kind})");
        layers.Add(new Layer(kind == "--config" ? $"--config {path}" : $"{path} ({kind})", provider));
    }

    private static IEnumerable<string> Keys(IConfigurationProvider provider, string? parent)
    {
        foreach (var child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var key = parent is null ? child : parent + ":" + child;
            if (provider.TryGet(key, out _))
            {
                yield return key;
            }

            foreach (var nested in Keys(provider, key))
            {
                yield return nested;
            }
        }
    }

    private static string Suggestion(string key)
    {
        var leaf = key.Split(':')[^1];
        var near = Settings.All.FirstOrDefault(s => s.Key.Split(':')[^1].Equals(leaf, StringComparison.OrdinalIgnoreCase))
            ?? Settings.All.FirstOrDefault(s => s.Key.Split(':')[^1].StartsWith(leaf[..Math.Min(4, leaf.Length)], StringComparison.OrdinalIgnoreCase));
        return near is null ? "'mdiflow config show' lists the settings" : $"did you mean '{near.Display}'?";
    }

    private static IConfigurationProvider Memory(IDictionary<string, string?> values) => Build(b => b.AddInMemoryCollection(values));

    private static IConfigurationProvider Build(Action<IConfigurationBuilder> add)
    {
        var builder = new ConfigurationBuilder();
        add(builder);
        return builder.Build().Providers.Single();
    }

    /// <summary>One layer: where its values come from and the provider that holds them.</summary>
    private sealed record Layer(string Name, IConfigurationProvider Provider, bool Environment = false)
    {
        public string SourceOf(Setting setting) => Environment
            ? setting.Variable
            : Name == "flag" ? CliFlags.For(setting) ?? "a flag" : Name;
    }
}
