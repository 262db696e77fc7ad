using System.Text.Json.Nodes;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Gates;

/// <summary>"Assign to me" on a manual task: one assignee takes it, and then only they may complete (or reject) it.</summary>
internal sealed partial class GateKeeper
{
    public const string Assigned = "gate.assigned";
    public const string Unassigned = "gate.unassigned";

    private string? AssignProblem(WorkflowInstance instance, StepState step, ManualTaskGate task, Actor actor, GateAction action)
    {
        if (AssigneeListProblem(instance, step, task, actor) is { } problem)
        {
            return problem;
        }

        return (action, task.AssignedTo) switch
        {
            (GateAction.Assign, { } to) when GateRules.SameUser(to, actor.Name) => $"Step '{step.Id}' of instance {instance.Id} is already assigned to {to}.",
            (GateAction.Assign, { } to) => $"Step '{step.Id}' of instance {instance.Id} is assigned to {to}; it must be unassigned before someone else takes it.",
            (GateAction.Unassign, null) => $"Step '{step.Id}' of instance {instance.Id} is not assigned to anyone.",
            _ => null,
        };
    }

    private void Assign(StepState step, ManualTaskGate task, GateAction action, Actor actor, Action<string, string?, JsonObject?> journal)
    {
        if (action == GateAction.Assign)
        {
            step.Gate = step.Gate! with { Details = (task with { AssignedTo = actor.Name }).ToJson() };
            journal(Assigned, step.Id, new JsonObject { ["to"] = actor.Name });
        }
        else
        {
            step.Gate = step.Gate! with { Details = (task with { AssignedTo = null }).ToJson() };
            journal(Unassigned, step.Id, new JsonObject { ["from"] = task.AssignedTo });
        }
    }

    /// <summary>Who may complete or reject a manual task: its assigned person when it has one, else any assignee (anyone when it lists none).</summary>
    private string? AssigneeProblem(WorkflowInstance instance, StepState step, ManualTaskGate task, Actor actor) =>
        AssigneeListProblem(instance, step, task, actor)
        ?? (task.AssignedTo is { } to && !GateRules.SameUser(to, actor.Name)
            ? $"Step '{step.Id}' of instance {instance.Id} is assigned to {to}; only they may complete or reject it until it is unassigned."
            : null);

    private string? AssigneeListProblem(WorkflowInstance instance, StepState step, ManualTaskGate task, Actor actor) =>
        task.Assignees.Count > 0 && !GateRules.Admits(task.Assignees, actor, policy)
            ? $"{actor.Name} is not an assignee of step '{step.Id}' of instance {instance.Id}; it is assigned to: {string.Join(", ", task.Assignees)}."
            : null;
}
