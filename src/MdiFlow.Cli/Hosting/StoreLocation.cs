namespace MdiFlow.Cli.Hosting;

/// <summary>Where state lives: <c>--store</c>, else <c>MDIFLOW_STORE</c>, else <c>sqlite:mdiflow.db</c>.</summary>
internal sealed record StoreLocation(string Kind, string Target, bool Explicit)
{
    public const string Variable = "MDIFLOW_STORE";

    public static StoreLocation Resolve(string? option)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        var text = !string.IsNullOrWhiteSpace(option) ? option : !string.IsNullOrWhiteSpace(fromEnvironment) ? fromEnvironment : "sqlite:mdiflow.db";
        var isExplicit = !string.IsNullOrWhiteSpace(option);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon > 0 ? text[..colon].ToLowerInvariant() : "";
        var target = colon > 0 ? text[(colon + 1)..] : "";
        return kind switch
        {
            "sqlite" when target.Length > 0 => new StoreLocation(kind, target, isExplicit),
            "postgres" => throw new UsageException("The PostgreSQL store is not part of this build yet. Use --store sqlite:PATH."),
            _ => throw new UsageException($"'{text}' is not a store. Use --store sqlite:PATH (or set {Variable})."),
        };
    }

    /// <summary>The option to repeat in suggested commands, so they reach the same store.</summary>
    public string Argument => Explicit ? $" --store {Kind}:{Target}" : "";
}
