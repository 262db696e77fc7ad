using System.CommandLine;
using MdiFlow.Cli.Hosting;

namespace MdiFlow.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Store = new("--store")
    {
        Description = $"Where state lives: sqlite:PATH, or postgres:CONNECTION-STRING (the password from PGPASSWORD or a pgpass file, never on the command line). Default: ${StoreLocation.Variable}, else 'store' in mdiflow.json, else sqlite:mdiflow.db.",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "A configuration file (mdiflow.json) read after the system one (/etc/mdiflow/mdiflow.json; %ProgramData%\\MdiFlow\\mdiflow.json) and the user's; MDIFLOW_* variables and flags still override it. 'mdiflow config show' prints what is in effect.",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print stack traces with errors.",
        Recursive = true,
    };

    public static readonly Option<string?> Policy = new("--policy")
    {
        Description = "A policy file that tightens the installed one (/etc/mdiflow/policy.json; %ProgramData%\\MdiFlow\\policy.json on Windows). It may only make rules stricter; $MDIFLOW_POLICY and mdiflow.policy.json beside the store are read the same way.",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Write one JSON document to standard output." };

    public static Option<string?> As() => new("--as")
    {
        Description = "Act under this name: accepted on rehearsal instances only (elsewhere your OS account acts, and --as is refused).",
    };

    public static Argument<string> InstanceId() => new("id")
    {
        Description = "The instance id, or a unique prefix of at least 6 characters.",
    };

    public static CliGlobals Globals(this ParseResult parsed) => CliGlobals.From(parsed);
}
