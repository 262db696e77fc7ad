using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Cli.Commands;

/// <summary>What <c>run</c> and <c>resume</c> print when the instance stops: where, and the exact commands that go on.</summary>
internal static class RunReport
{
    public static int Write(WorkflowInstance i, CliSession session, CliGlobals globals, TextWriter o, bool json)
    {
        if (json)
        {
            JsonOutput.Write(o, InstanceView.ToJson(i));
            return ExitCodes.For(i);
        }

        var store = globals.Repeated;
        o.WriteLine();
        switch (i.Status)
        {
            case InstanceStatus.Completed when i.Steps.Where(s => s.Status == StepStatus.FailedContinued).ToList() is { Count: > 0 } continued:
                o.WriteLine($"Instance {i.Id} completed, but {continued.Count} of its {i.Steps.Count} steps failed (they are marked onFailure: continue, so the run went on):");
                foreach (var s in continued)
                {
                    o.WriteLine($"  ✘ {TerminalText.Safe(s.Id)}: [{TerminalText.Safe(s.Error?.Code)}] {TerminalText.Safe(s.Error?.Message)}");
                    if (s.Error?.Fix is { } remedy)
                    {
                        o.WriteLine($"      What to do: {TerminalText.Safe(remedy)}");
                    }
                }

                o.WriteLine($"  Once the causes are fixed, run the workflow again: each run checks everything anew.");
                o.WriteLine($"  {JournalHead(i)}");
                break;
            case InstanceStatus.Completed:
                o.WriteLine($"Instance {i.Id} completed.");
                o.WriteLine($"  {JournalHead(i)}");
                break;
            case InstanceStatus.Waiting:
                var gate = i.Steps.First(s => s.Status == StepStatus.Waiting);
                o.WriteLine($"Instance {i.Id} waits at step '{TerminalText.Safe(gate.Id)}' ({TerminalText.Safe(gate.Gate?.Kind)}).");
                WaitingHints(i, session, globals, o);
                break;
            case InstanceStatus.Scheduled:
                var retry = i.Steps.FirstOrDefault(s => s.Status == StepStatus.Pending && s.Error is not null);
                o.WriteLine($"Instance {i.Id}: step '{TerminalText.Safe(retry?.Id)}' will be retried at {i.DueAt:u} (last error [{TerminalText.Safe(retry?.Error?.Code)}]).");
                o.WriteLine($"  Continue it then:  mdiflow resume {i.Id}{store}   (or keep 'mdiflow worker{store}' running)");
                break;
            case InstanceStatus.Failed:
                var failed = i.Steps.First(s => s.Status == StepStatus.Failed);
                o.WriteLine($"Instance {i.Id} failed at step '{TerminalText.Safe(failed.Id)}' after {failed.Attempts} attempt(s): [{TerminalText.Safe(failed.Error?.Code)}] {TerminalText.Safe(failed.Error?.Message)}");
                if (failed.NotRetried is { } notRetried)
                {
                    o.WriteLine($"  Not retried: {TerminalText.Safe(notRetried.Explanation)}");
                }
                if (failed.Error?.Fix is { } fix)
                {
                    o.WriteLine($"  What to do: {TerminalText.Safe(fix)}");
                }

                if (NextCommands.ResumeAloneCannotHelp(failed))
                {
                    o.WriteLine("  The instance keeps the definition and inputs it started with: resuming it as it is fails the same way.");
                }

                foreach (var next in NextCommands.For(i, session.Engine.DefinitionOf(i), session.Catalog, store))
                {
                    o.WriteLine($"  To {next.What}:  {TerminalText.Safe(next.Command)}");
                }

                o.WriteLine($"  {JournalHead(i)}");
                break;
            case InstanceStatus.Rejected:
                o.WriteLine($"Instance {i.Id} was rejected; it cannot continue. 'mdiflow audit {i.Id}{store}' shows who decided and why.");
                o.WriteLine($"  {JournalHead(i)}");
                break;
            case InstanceStatus.Cancelled:
                o.WriteLine($"Instance {i.Id} was cancelled.");
                o.WriteLine($"  {JournalHead(i)}");
                break;
            default:
                o.WriteLine($"Instance {i.Id} was interrupted ({InstanceView.Name(i.Status)}). Continue it:  mdiflow resume {i.Id}{store}");
                break;
        }

        return ExitCodes.For(i);
    }

    /// <summary>The line to quote in a change ticket: the head of the instance's keyed journal (check it later with audit --verify --expect-head).</summary>
    public static string JournalHead(WorkflowInstance i) => $"journal head: {i.JournalHead} at entry {i.JournalSeq}";

    /// <summary>
    /// What a waiting instance needs and the exact commands that go on: in a rehearsal, acted as one of its people whom
    /// the engine would let act now (<c>--as bob</c>), naming who its approvers are.
    /// </summary>
    public static void WaitingHints(WorkflowInstance i, CliSession session, CliGlobals globals, TextWriter o)
    {
        var gate = i.Steps.FirstOrDefault(s => s.Status == StepStatus.Waiting && s.Gate is not null);
        if (gate?.Gate is null)
        {
            return;
        }

        var store = globals.Repeated;
        var manual = gate.Gate.Kind == GateKinds.ManualTask;
        o.WriteLine($"  {GateText.Remaining(i)}");
        if (GateText.Instructions(i) is { } instructions)
        {
            o.WriteLine($"  Instructions for approvers: {instructions}");
        }

        var asOther = "";
        if (i.IsRehearsal)
        {
            var people = LabRehearsal.People.Where(p => session.Engine.Permission(i, new Actor(p, ActorSources.Asserted), manual ? GateAction.Complete : GateAction.Approve).Allowed).ToList();
            o.WriteLine(manual
                ? $"  This is a rehearsal: act as one of its people with --as ({(people.Count == 0 ? "none of them may do this task" : string.Join(", ", people) + " may do this task")}; its change board: {string.Join(", ", LabRehearsal.Board)})."
                : $"  This is a rehearsal: act as one of its people with --as (its change board: {string.Join(", ", LabRehearsal.Board)}; {(people.Count == 0 ? "none of them may approve now" : string.Join(", ", people) + " may approve now")}).");
            asOther = people.Count > 0 ? $" --as {people[0]}" : "";
        }

        o.WriteLine($"  See the details:   mdiflow show {i.Id}{store}");
        o.WriteLine(manual
            ? $"  When it is done:   mdiflow complete {i.Id} --step {gate.Id} --evidence \"what you did\"{asOther}{store}"
            : $"  To approve:        mdiflow approve {i.Id} --step {gate.Id} --comment \"why\"{asOther}{store}");
        o.WriteLine($"  Then continue it:  mdiflow resume {i.Id}{store}");
    }
}
