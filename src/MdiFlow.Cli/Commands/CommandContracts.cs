namespace MdiFlow.Cli.Commands;

/// <summary>What <c>--help</c> of one command adds: examples that run as printed, and the exit codes it can return (docs/cli.md).</summary>
internal sealed record CommandContract(IReadOnlyList<string> Examples, IReadOnlyList<int> ExitCodes);

/// <summary>The examples and exit codes of every command, by its path (<c>run</c>, <c>config show</c>).</summary>
internal static class CommandContracts
{
    private const int Ok = Cli.ExitCodes.Done, Bug = Cli.ExitCodes.Internal, Usage = Cli.ExitCodes.Usage, Store = Cli.ExitCodes.Store,
        NotFound = Cli.ExitCodes.NotFound, NotAllowed = Cli.ExitCodes.NotAllowed, Waiting = Cli.ExitCodes.Waiting, Scheduled = Cli.ExitCodes.Scheduled,
        Failed = Cli.ExitCodes.Failed, Rejected = Cli.ExitCodes.Rejected, Cancelled = Cli.ExitCodes.Cancelled, Interrupted = Cli.ExitCodes.Interrupted,
        Continued = Cli.ExitCodes.CompletedWithFailures;

    private static readonly int[] Running = [Ok, Bug, Usage, Store, NotFound, NotAllowed, Waiting, Scheduled, Failed, Rejected, Cancelled, Continued, Interrupted];

    private static readonly int[] Deciding = [Ok, Bug, Usage, Store, NotFound, NotAllowed];

    public static IReadOnlyDictionary<string, CommandContract> All { get; } = new Dictionary<string, CommandContract>
    {
        ["run"] = new(
            ["mdiflow run workflows/mdi-sensor-deployment.json --lab", "mdiflow run workflows/mdi-sensor-deployment.json --input workspace=contoso --secret proxyCredential=env:PROXY_CREDENTIAL --config /etc/mdiflow/mdiflow.json"],
            [Ok, Bug, Usage, Store, NotAllowed, Waiting, Scheduled, Failed, Rejected, Cancelled, Continued, Interrupted]),
        ["resume"] = new(["mdiflow resume 01m8rn6w", "mdiflow resume 01m8rn6w --lab healthy-dc", "mdiflow resume 01m8rn6w --input workspace=contoso-mdi"], Running),
        ["plan"] = new(["mdiflow plan workflows/mdi-sensor-deployment.json --lab", "mdiflow plan workflows/mdi-readiness.json --input workspace=contoso"], [Ok, Bug, Usage]),
        ["validate"] = new(["mdiflow validate workflows/*.json"], [Ok, Bug, Usage]),
        ["list"] = new(["mdiflow list --status waiting", "mdiflow list --json --limit 20"], [Ok, Bug, Usage, Store]),
        ["show"] = new(["mdiflow show 01m8rn6w", "mdiflow show 01m8rn6w --json"], [Ok, Bug, Usage, Store, NotFound]),
        ["audit"] = new(["mdiflow audit 01m8rn6w --verify", "mdiflow audit 01m8rn6w --verify --expect-head 3f9c...", "mdiflow audit 01m8rn6w --jsonl > change-1234.jsonl"], [Ok, Bug, Usage, Store, NotFound]),
        ["activities"] = new(["mdiflow activities", "mdiflow activities --json"], [Ok, Bug, Usage]),
        ["graph"] = new(["mdiflow graph workflows/mdi-sensor-deployment.json --format mermaid"], [Ok, Bug, Usage]),
        ["approve"] = new(["mdiflow approve 01m8rn6w --step changeBoard --comment \"checks reviewed\"", "mdiflow approve 01m8rn6w --step changeBoard --comment \"rehearsal\" --as bob"], Deciding),
        ["reject"] = new(["mdiflow reject 01m8rn6w --step changeBoard --reason \"no change window this week\""], Deciding),
        ["complete"] = new(["mdiflow complete 01m8rn6w --step portal --evidence \"workspace created, roles set in Unified RBAC\""], Deciding),
        ["assign"] = new(["mdiflow assign 01m8rn6w --step portal", "mdiflow assign 01m8rn6w --step portal --as alice"], Deciding),
        ["unassign"] = new(["mdiflow unassign 01m8rn6w --step portal"], Deciding),
        ["skip"] = new(["mdiflow skip 01m8rn6w --step nicTeaming --reason \"teaming checked by hand: Npcap 1.79 OEM\""], Deciding),
        ["cancel"] = new(["mdiflow cancel 01m8rn6w --reason \"server decommissioned\""], Deciding),
        ["worker"] = new(["mdiflow worker", "mdiflow worker --once --host DC01"], [Ok, Bug, Usage, Store, NotAllowed]),
        ["schema"] = new(["mdiflow schema > workflows/mdiflow.schema.json"], [Ok, Bug, Usage]),
        ["serve"] = new(["mdiflow serve --lab", "mdiflow serve --urls https://mdiflow.contoso.com:5001"], [Ok, Bug, Usage, Store, NotAllowed]),
        ["config show"] = new(["mdiflow config show", "mdiflow config show --json --config /etc/mdiflow/mdiflow.json"], [Ok, Bug, Usage, NotAllowed]),
        ["service install"] = new(["mdiflow service install", "mdiflow service install --platform windows", "sudo mdiflow service install --run --user mdiflow"], [Ok, Bug, Usage, NotAllowed]),
    };

    /// <summary>What each exit code means, in a few words (docs/cli.md has the full table).</summary>
    public static IReadOnlyDictionary<int, string> Meanings { get; } = new Dictionary<int, string>
    {
        [Ok] = "done (for run/resume: the instance completed)",
        [Bug] = "unexpected internal error (a bug: report it)",
        [Usage] = "usage or validation error",
        [Store] = "store error, or a record that does not verify",
        [NotFound] = "no such instance (or an ambiguous prefix)",
        [NotAllowed] = "not allowed by identity, policy or the instance's state",
        [Waiting] = "stopped at a gate: waiting for people",
        [Scheduled] = "stopped with a retry scheduled for later",
        [Failed] = "the instance failed",
        [Rejected] = "the instance was rejected",
        [Cancelled] = "the instance was cancelled",
        [Continued] = "completed, but steps marked onFailure: continue failed",
        [Interrupted] = "interrupted (Ctrl+C, SIGTERM): handed back for resume",
    };
}
