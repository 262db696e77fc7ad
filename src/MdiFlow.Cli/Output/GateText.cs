using MdiFlow.Gates;
using MdiFlow.Instances;

namespace MdiFlow.Cli.Output;

/// <summary>What a waiting gate asks for, in a sentence or two, safe to print.</summary>
internal static class GateText
{
    public static string Remaining(WorkflowInstance instance)
    {
        var step = instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Waiting && s.Gate is not null);
        if (step?.Gate is not { } gate)
        {
            return "";
        }

        var id = TerminalText.Safe(step.Id);
        if (gate.Kind == GateKinds.Approval)
        {
            var a = ApprovalGate.From(gate.Details);
            var approved = a.Decisions.Where(d => d.Decision == "approve").Select(d => TerminalText.Safe(d.Actor)).ToList();
            return $"Step '{id}' waits for {a.MinApprovals - approved.Count} more approval(s) of {a.MinApprovals} from {TerminalText.Safe(string.Join(", ", a.Approvers))}"
                + (a.RequiredGroup is null ? "" : $" (members of '{TerminalText.Safe(a.RequiredGroup)}' only)")
                + (approved.Count > 0 ? $"; approved so far by {string.Join(", ", approved)}" : "")
                + (a.ExpiresAt is { } due ? $"; expires {due:u} ({TerminalText.Safe(a.OnExpiry)})" : "")
                + ".";
        }

        if (GateKinds.RulesOf(gate) == GateKinds.ManualTask)
        {
            var t = ManualTaskGate.From(gate.Details);
            var who = t.AssignedTo is { } to ? $" (assigned to {TerminalText.Safe(to)})" : t.Assignees.Count > 0 ? $" ({TerminalText.Safe(string.Join(", ", t.Assignees))})" : "";
            return $"Step '{id}' waits for a person to do it by hand{who}: {TerminalText.Safe(t.Instructions)}";
        }

        return $"Step '{id}' waits at a '{TerminalText.Safe(gate.Kind)}' gate.";
    }

    public static string? Instructions(WorkflowInstance instance)
    {
        var gate = instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Waiting)?.Gate;
        return gate?.Kind == GateKinds.Approval && ApprovalGate.From(gate.Details).Instructions is { } text ? TerminalText.Safe(text) : null;
    }
}
