using MdiFlow.Cli.Configuration;

namespace MdiFlow.Cli.Hosting;

/// <summary>Where state lives: the configuration's <c>store</c> (<c>--store</c>, <c>MDIFLOW_STORE</c>, <c>mdiflow.json</c>), else <c>sqlite:mdiflow.db</c>.</summary>
internal sealed record StoreLocation(string Kind, string Target, bool Explicit)
{
    public const string Variable = "MDIFLOW_STORE";

    /// <summary>The store <paramref name="text"/> names, from <paramref name="source"/> (for the message when it is not one).</summary>
    public static StoreLocation Parse(string text, string source, bool fromFlag)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon > 0 ? text[..colon].ToLowerInvariant() : "";
        var target = colon > 0 ? text[(colon + 1)..] : "";
        return kind switch
        {
            "sqlite" when target.Length > 0 => new StoreLocation(kind, target, fromFlag),
            "postgres" => throw new UsageException("The PostgreSQL store is not part of this build yet. Use --store sqlite:PATH."),
            _ => throw new UsageException($"'{SettingValues.Shown(Settings.Store, text)}' (from {source}) is not a store. Use --store sqlite:PATH (or set {Variable}, or store in mdiflow.json)."),
        };
    }

    /// <summary>The folder of a SQLite store's file: where its lab state and the policy beside it live.</summary>
    public string Folder => Path.GetDirectoryName(Path.GetFullPath(Target)) ?? ".";

    /// <summary>The option to repeat in suggested commands, so they reach the same store.</summary>
    public string Argument => Explicit ? $" --store {ShellText.Quote($"{Kind}:{Target}")}" : "";
}
