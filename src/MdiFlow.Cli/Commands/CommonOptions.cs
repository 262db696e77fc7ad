using System.CommandLine;
using MdiFlow.Cli.Hosting;

namespace MdiFlow.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Store = new("--store")
    {
        Description = $"Where state lives: sqlite:PATH. Default: ${StoreLocation.Variable}, else sqlite:mdiflow.db.",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print stack traces with errors.",
        Recursive = true,
    };

    public static readonly Option<string?> Policy = new("--policy")
    {
        Description = "The organisation policy file (groups, gate floors). Default: $MDIFLOW_POLICY, else mdiflow.policy.json beside the store.",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Write one JSON document to standard output." };

    public static Option<string?> As() => new("--as")
    {
        Description = "Act under this name (rehearsal instances only; elsewhere the OS account acts).",
    };

    public static Argument<string> InstanceId() => new("id")
    {
        Description = "The instance id, or a unique prefix of at least 6 characters.",
    };

    public static StoreLocation Location(this ParseResult parsed) => StoreLocation.Resolve(parsed.GetValue(Store));

    public static string? PolicyPath(this ParseResult parsed) => parsed.GetValue(Policy);
}
