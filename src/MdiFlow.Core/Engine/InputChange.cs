using System.Text.Json.Nodes;
using MdiFlow.Definitions;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Policy;

namespace MdiFlow.Engine;

/// <summary>New values for some inputs of a failed instance (the rest keep theirs): the way to correct an input without starting again.</summary>
public sealed record InputChange
{
    /// <summary>New input values by name (secrets excluded).</summary>
    public JsonObject Inputs { get; init; } = [];

    /// <summary>New references for secret inputs (<c>env:NAME</c> or <c>file:PATH</c>); only their names are journaled.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Applies an <see cref="InputChange"/>: only to a failed instance, only by whoever may run it, never once a gate was
/// decided (the people who decided saw the inputs as they were), each value checked against the declared inputs as at
/// the start, and journaled as an operator change (values of inputs from and to; of secrets, only their names).
/// </summary>
internal static class InputChanges
{
    public static void Apply(WorkflowInstance instance, WorkflowDefinition definition, InputChange change, Actor actor, AccessRules access, Action<string, string?, JsonObject?> journal)
    {
        if (instance.Status != InstanceStatus.Failed)
        {
            throw new InstanceStateException(instance.Status, $"Instance {instance.Id} is {InstanceLifecycle.Name(instance.Status)}; its inputs can be changed only while it has failed.");
        }

        if (access.RunForOthersProblem(instance, actor) is { } problem)
        {
            throw new ActionNotAllowedException(problem);
        }

        if (instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Completed && access.IsGate(definition.FindStep(s.Id)!)) is { } decided)
        {
            throw new ActionNotAllowedException(
                $"Step '{decided.Id}' of instance {instance.Id} ({decided.Uses}) was decided with the inputs as they were, so they can no longer be changed; start a new instance with the corrected inputs.");
        }

        var (values, secrets) = InputBinder.Change(definition, instance, change);
        var probe = new WorkflowInstance
        {
            Id = instance.Id,
            WorkflowId = instance.WorkflowId,
            WorkflowVersion = instance.WorkflowVersion,
            DefinitionHash = instance.DefinitionHash,
            Inputs = values,
            Requester = instance.Requester,
            IsRehearsal = instance.IsRehearsal,
        };
        var gateErrors = GateConfiguration.Check(definition, probe, access.Policy);
        if (gateErrors.Count > 0)
        {
            throw new WorkflowValidationException($"Workflow '{definition.Id}' with these inputs", gateErrors);
        }

        var changed = new JsonObject();
        foreach (var (name, value) in change.Inputs)
        {
            changed[name] = new JsonObject { ["from"] = instance.Inputs[name]?.DeepClone(), ["to"] = values[name]?.DeepClone() };
        }

        foreach (var (name, _) in change.Inputs)
        {
            instance.Inputs[name] = values[name]?.DeepClone();
        }

        foreach (var (name, reference) in secrets)
        {
            instance.SecretMap[name] = reference;
        }

        journal(JournalKinds.InputsChanged, null, new JsonObject
        {
            ["inputs"] = changed,
            ["secrets"] = new JsonArray([.. secrets.Keys.Order(StringComparer.Ordinal).Select(k => (JsonNode?)JsonValue.Create(k))]),
        });
    }
}
