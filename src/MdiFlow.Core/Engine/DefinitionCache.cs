using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MdiFlow.Definitions;
using MdiFlow.Expressions;
using MdiFlow.Instances;
using MdiFlow.Storage;

namespace MdiFlow.Engine;

/// <summary>
/// Parsed definition snapshots by hash, with each step's bindings and condition parsed once, so resuming many
/// instances of one workflow parses nothing again.
/// </summary>
/// <remarks>
/// A stored definition is checked against its hash the first time this process reads it: one that was changed in the
/// store (a command swapped after approval) is refused, and the checked one is what every later run uses.
/// </remarks>
internal sealed class DefinitionCache
{
    private readonly ConcurrentDictionary<string, PreparedDefinition> _byHash = new(StringComparer.Ordinal);

    /// <exception cref="IntegrityException">The stored definition is not a workflow, or not the one its hash names.</exception>
    public PreparedDefinition Get(WorkflowInstance instance) =>
        _byHash.TryGetValue(instance.DefinitionHash, out var prepared)
            ? prepared
            : _byHash.GetOrAdd(instance.DefinitionHash, static (_, i) => Verified(i), instance);

    private static PreparedDefinition Verified(WorkflowInstance instance)
    {
        WorkflowDefinition definition;
        try
        {
            definition = WorkflowLoader.FromJson(instance.Definition);
        }
        catch (WorkflowValidationException ex)
        {
            throw new IntegrityException($"The definition instance {instance.Id} started with is no longer a valid workflow in the store ({ex.Errors.FirstOrDefault()}): it was changed outside MdiFlow. Nothing was run.");
        }

        var hash = WorkflowWriter.Hash(definition);
        return hash == instance.DefinitionHash
            ? new PreparedDefinition(definition)
            : throw new IntegrityException($"The definition instance {instance.Id} started with was changed in the store: it now hashes to {hash[..12]}…, not its recorded {instance.DefinitionHash[..Math.Min(12, instance.DefinitionHash.Length)]}…. Nothing was run. Restore the store from a backup.");
    }
}

/// <summary>A definition ready to run: its steps by position, each with its parsed bindings and condition.</summary>
internal sealed class PreparedDefinition
{
    private readonly PreparedStep[] _steps;

    public PreparedDefinition(WorkflowDefinition definition)
    {
        Definition = definition;
        _steps = [.. definition.Steps.Select(s => new PreparedStep(s))];
    }

    public WorkflowDefinition Definition { get; }

    /// <summary>The step with that id; <paramref name="position"/> is where it usually is (instances keep steps in definition order).</summary>
    public PreparedStep? Find(string stepId, int position)
    {
        if ((uint)position < (uint)_steps.Length && _steps[position].Step.Id == stepId)
        {
            return _steps[position];
        }

        return Array.Find(_steps, s => s.Step.Id == stepId);
    }
}

/// <summary>One step with its <c>with</c> templates and <c>when</c> condition parsed once.</summary>
internal sealed class PreparedStep
{
    private readonly Expression? _when;

    public PreparedStep(StepDefinition step)
    {
        Step = step;
        Bindings = CompiledBindings.Compile(step.With);
        if (step.When is not null)
        {
            try
            {
                _when = Conditions.Parse(step.When);
            }
            catch (ExpressionException)
            {
                // Reported when the condition is evaluated, as a failed step.
            }
        }
    }

    public StepDefinition Step { get; }

    public CompiledBindings Bindings { get; }

    /// <exception cref="ExpressionException">The condition does not parse or cannot be evaluated.</exception>
    public bool ConditionHolds(BindingScope scope) =>
        _when is not null ? Truth.IsTrue(_when.Evaluate(scope)) : Conditions.Evaluate(Step.When!, scope);

    /// <summary>The step's input for one attempt.</summary>
    /// <exception cref="ExpressionException">A binding does not parse or cannot be evaluated.</exception>
    public JsonObject Bind(BindingScope scope) => Bindings.Bind(scope);
}
