using MdiFlow.Gates;
using MdiFlow.Instances;

namespace MdiFlow.Cli.Output;

/// <summary>What a waiting gate asks for, in a sentence or two.</summary>
internal static class GateText
{
    public static string Remaining(WorkflowInstance instance)
    {
        var step = instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Waiting && s.Gate is not null);
        if (step?.Gate is not { } gate)
        {
            return "";
        }

        if (gate.Kind == GateKinds.Approval)
        {
            var a = ApprovalGate.From(gate.Details);
            var approved = a.Decisions.Where(d => d.Decision == "approve").Select(d => d.Actor).ToList();
            return $"Step '{step.Id}' waits for {a.MinApprovals - approved.Count} more approval(s) of {a.MinApprovals} from {string.Join(", ", a.Approvers)}"
                + (a.RequiredGroup is null ? "" : $" (members of '{a.RequiredGroup}' only)")
                + (approved.Count > 0 ? $"; approved so far by {string.Join(", ", approved)}" : "")
                + (a.ExpiresAt is { } due ? $"; expires {due:u} ({a.OnExpiry})" : "")
                + ".";
        }

        if (gate.Kind == GateKinds.ManualTask)
        {
            var t = ManualTaskGate.From(gate.Details);
            return $"Step '{step.Id}' waits for a person to do it by hand{(t.Assignees.Count > 0 ? $" ({string.Join(", ", t.Assignees)})" : "")}: {t.Instructions}";
        }

        return $"Step '{step.Id}' waits at a '{gate.Kind}' gate.";
    }

    public static string? Instructions(WorkflowInstance instance)
    {
        var gate = instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Waiting)?.Gate;
        return gate?.Kind == GateKinds.Approval ? ApprovalGate.From(gate.Details).Instructions : null;
    }
}
