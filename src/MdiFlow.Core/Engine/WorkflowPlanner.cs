using System.Text.Json.Nodes;
using MdiFlow.Definitions;
using MdiFlow.Expressions;
using MdiFlow.Instances;

namespace MdiFlow.Engine;

/// <summary>A dry run: which steps would run, with their bindings resolved as far as the inputs allow. Changes nothing.</summary>
public static class WorkflowPlanner
{
    /// <summary>Plans a run of <paramref name="definition"/> with the inputs of <paramref name="request"/>.</summary>
    /// <exception cref="WorkflowValidationException">The inputs have mistakes.</exception>
    public static WorkflowPlan Plan(WorkflowDefinition definition, StartRequest request)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(request);
        var inputs = InputBinder.Bind(definition, request);
        var probe = new WorkflowInstance
        {
            Id = new InstanceId("plan"),
            WorkflowId = definition.Id,
            WorkflowVersion = definition.Version,
            DefinitionHash = "",
            Definition = [],
            Inputs = inputs,
            Requester = request.Actor.Name,
            IsRehearsal = request.Rehearsal,
            SecretMap = new Dictionary<string, string>(request.Secrets, StringComparer.Ordinal),
        };
        var scope = new BindingScope(probe, secrets: null);
        var steps = new List<PlannedStep>();
        foreach (var step in definition.Steps)
        {
            var decision = StepDecision.Runs;
            if (step.When is not null)
            {
                var condition = Conditions.Parse(step.When);
                decision = ReadsSteps(condition)
                    ? StepDecision.DecidedAtRunTime
                    : Truth.IsTrue(condition.Evaluate(scope)) ? StepDecision.Runs : StepDecision.Skipped;
            }

            steps.Add(new PlannedStep(step.Id, step.Uses, step.Title, decision, step.When, Resolve(step.With, scope)));
        }

        return new WorkflowPlan(definition.Id, definition.Version, WorkflowWriter.Hash(definition), steps);
    }

    private static bool ReadsSteps(Expression expression) => expression.Paths().Any(p => p.Root == "steps");

    /// <summary>Bindings that read only inputs are resolved; those that read earlier steps stay as written; secrets show as ***.</summary>
    private static JsonNode? Resolve(JsonNode? node, BindingScope scope) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value, scope)))),
        JsonArray a => new JsonArray([.. a.Select(e => Resolve(e, scope))]),
        JsonValue v when Truth.AsString(v) is { } s && Template.HasBindings(s) =>
            Template.Parse(s) is var t && t.Expressions.Any(ReadsSteps) ? JsonValue.Create(s) : t.Render(scope),
        _ => node?.DeepClone(),
    };
}

/// <summary>The outcome of <see cref="WorkflowPlanner.Plan"/>.</summary>
public sealed record WorkflowPlan(string WorkflowId, string Version, string Hash, IReadOnlyList<PlannedStep> Steps);

/// <summary>One planned step.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Uses">The activity.</param>
/// <param name="Title">The title.</param>
/// <param name="Decision">Whether it would run.</param>
/// <param name="When">Its condition.</param>
/// <param name="With">Its input, resolved as far as possible.</param>
public sealed record PlannedStep(string Id, string Uses, string? Title, StepDecision Decision, string? When, JsonNode? With);

/// <summary>Whether a planned step would run.</summary>
public enum StepDecision
{
    /// <summary>It runs.</summary>
    Runs,

    /// <summary>Its condition is false with these inputs.</summary>
    Skipped,

    /// <summary>Its condition reads earlier steps' results.</summary>
    DecidedAtRunTime,
}
