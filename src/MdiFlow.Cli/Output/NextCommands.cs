using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Gates;
using MdiFlow.Instances;

namespace MdiFlow.Cli.Output;

/// <summary>One thing the operator can do next: what it does, and the exact command line (runnable as printed).</summary>
/// <param name="What">What it does, in a few words.</param>
/// <param name="Command">The command, with the global options repeated.</param>
internal sealed record NextCommand(string What, string Command);

/// <summary>
/// The commands <c>run</c>, <c>resume</c> and <c>show</c> print for where an instance stands. Core states facts (the
/// error's code, whether the step may be skipped, which inputs it reads); the CLI words them as commands, each one
/// runnable as printed: no placeholder that is not a valid value.
/// </summary>
internal static class NextCommands
{
    /// <summary>The error codes of failures that come from the instance's own snapshot: resuming it unchanged fails the same way.</summary>
    private static readonly HashSet<string> FromSnapshot = new(StringComparer.Ordinal)
    {
        InvalidInput.Code, "binding.failed", "binding.stepFailed", "condition.failed", "approval.invalid", "manualTask.invalid",
    };

    /// <summary>Whether resuming the instance as it is cannot succeed: its failure comes from its definition or inputs.</summary>
    public static bool ResumeAloneCannotHelp(StepState failed) => failed.Error is { } e && FromSnapshot.Contains(e.Code);

    public static IReadOnlyList<NextCommand> For(WorkflowInstance i, WorkflowDefinition? definition, ActivityCatalog? catalog, string repeated)
    {
        var id = i.Id;
        switch (i.Status)
        {
            case InstanceStatus.Failed when i.Steps.FirstOrDefault(s => s.Status == StepStatus.Failed) is { } failed:
                var step = definition?.FindStep(failed.Id);
                var commands = new List<NextCommand>();
                if (ResumeAloneCannotHelp(failed))
                {
                    var inputs = step?.InputsRead().Where(n => definition!.Inputs.Any(d => d.Name == n && !d.Secret)).ToList() ?? [];
                    if (inputs.Count > 0)
                    {
                        var given = string.Concat(inputs.Select(n => $" --input {Shell.Quote($"{n}={Text(i.Inputs[n])}")}"));
                        commands.Add(new("correct an input it reads and run it again", $"mdiflow resume {id}{given}{repeated}"));
                    }
                }
                else
                {
                    commands.Add(new($"run '{failed.Id}' again once the cause is fixed", $"mdiflow resume {id}{repeated}"));
                }

                var gate = step is not null && (catalog?.Find(step.Uses)?.IsGate ?? step.Uses is GateKinds.Approval or GateKinds.ManualTask);
                if (step is { Skippable: true } && !gate)
                {
                    commands.Add(new("go on without it", $"mdiflow skip {id} --step {failed.Id} --reason \"why it may be left out\"{repeated}"));
                }

                commands.Add(new("end it (then start a new instance from the corrected workflow)", $"mdiflow cancel {id} --reason \"why it ends here\"{repeated}"));
                return commands;
            case InstanceStatus.Scheduled:
                return [new($"take the next attempt once it is due ({i.DueAt:u})", $"mdiflow resume {id}{repeated}")];
            case InstanceStatus.Ready or InstanceStatus.Pending:
                return [new("continue it", $"mdiflow resume {id}{repeated}")];
            case InstanceStatus.Running when i.Lease is { } lease:
                return [new($"recover it if process {lease.ProcessId} on {lease.Host} died (once its lease ends, {lease.ExpiresAt:u})", $"mdiflow resume {id}{repeated}")];
            default:
                return [];
        }
    }

    /// <summary>An input's current value as it would be given on the command line.</summary>
    private static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}

/// <summary>Quoting for a POSIX shell, so a printed command can be pasted as it is.</summary>
internal static class Shell
{
    public static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or ',' or '+' or '@')
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
