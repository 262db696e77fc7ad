using System.Text.Json.Nodes;

namespace MdiFlow.Definitions;

/// <summary>A workflow: its inputs and ordered steps. Loaded from JSON or built in C#.</summary>
public sealed record WorkflowDefinition
{
    /// <summary>A stable id, for example <c>mdi-sensor-deployment</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The author's version of the workflow.</summary>
    public string Version { get; init; } = "1";

    /// <summary>A title for people.</summary>
    public string? Title { get; init; }

    /// <summary>Declared inputs, in file order.</summary>
    public IReadOnlyList<InputDefinition> Inputs { get; init; } = [];

    /// <summary>The steps, in run order.</summary>
    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];

    /// <summary>The retry policy of steps that declare none.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>Finds a step by id.</summary>
    public StepDefinition? FindStep(string id) => Steps.FirstOrDefault(s => s.Id == id);
}

/// <summary>One declared input.</summary>
public sealed record InputDefinition
{
    /// <summary>The input's name, used as <c>inputs.NAME</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The JSON type: <c>string</c>, <c>number</c>, <c>boolean</c>, <c>object</c> or <c>array</c>.</summary>
    public string Type { get; init; } = "string";

    /// <summary>Whether a value must be given (a default counts).</summary>
    public bool Required { get; init; }

    /// <summary>The value used when none is given.</summary>
    public JsonNode? Default { get; init; }

    /// <summary>A secret is passed by reference (<c>env:NAME</c>, <c>file:PATH</c>) and bound as <c>secrets.NAME</c>; its value is never stored.</summary>
    public bool Secret { get; init; }

    /// <summary>What the input is for.</summary>
    public string? Description { get; init; }
}

/// <summary>One step: an activity with its input bindings.</summary>
public sealed record StepDefinition
{
    /// <summary>The step's id, unique in the workflow.</summary>
    public required string Id { get; init; }

    /// <summary>The activity name.</summary>
    public required string Uses { get; init; }

    /// <summary>A title for people.</summary>
    public string? Title { get; init; }

    /// <summary>The activity's input; string values may hold <c>{{ bindings }}</c>.</summary>
    public JsonObject With { get; init; } = [];

    /// <summary>A condition; when false the step is skipped.</summary>
    public string? When { get; init; }

    /// <summary>The retry policy of this step.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>The longest one attempt may take.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The longest the step may take over all its attempts and retry delays; no attempt starts after it.</summary>
    public TimeSpan? TotalTimeout { get; init; }

    /// <summary>Whether an operator may skip the step after it failed.</summary>
    public bool Skippable { get; init; } = true;

    /// <summary>
    /// What a failure of the step does: stop the instance (the default), or, with <c>"onFailure": "continue"</c>,
    /// record it and go on with the next step (a readiness check that must not hide the checks after it).
    /// </summary>
    public StepFailure OnFailure { get; init; } = StepFailure.Stop;

    /// <summary>
    /// What the step does in a rehearsal: use its activity's double (the default), or, for an activity that has none,
    /// do its real work (<c>"rehearse": "run"</c>, honoured only when the organisation policy allows it).
    /// </summary>
    public StepRehearsal Rehearse { get; init; } = StepRehearsal.Double;

    /// <summary>The workflow inputs the step's bindings and condition read (<c>inputs.NAME</c>), in order of first use.</summary>
    public IReadOnlyList<string> InputsRead()
    {
        var texts = Expressions.Bindings.Templates(With, "").Select(t => t.Text).ToList();
        var paths = new List<Expressions.PathExpression>();
        foreach (var text in texts)
        {
            try
            {
                paths.AddRange(Expressions.Template.Parse(text).Expressions.SelectMany(e => e.Paths()));
            }
            catch (Expressions.ExpressionException)
            {
                // Reported by validation.
            }
        }

        if (When is not null)
        {
            try
            {
                paths.AddRange(Expressions.Conditions.Parse(When).Paths());
            }
            catch (Expressions.ExpressionException)
            {
                // Reported by validation.
            }
        }

        return [.. paths.Where(p => p.Root == "inputs" && p.Segments is [string, ..]).Select(p => (string)p.Segments[0]).Distinct(StringComparer.Ordinal)];
    }
}

/// <summary>What a failure of a step does to its instance.</summary>
public enum StepFailure
{
    /// <summary>The instance fails at the step; an operator resumes, skips or cancels.</summary>
    Stop,

    /// <summary>The failure is recorded (the step ends <see cref="Instances.StepStatus.FailedContinued"/>) and the run goes on.</summary>
    Continue,
}

/// <summary>What a step does in a rehearsal.</summary>
public enum StepRehearsal
{
    /// <summary>Its activity's rehearsal double, or nothing real: a rehearsal of a step without one is refused.</summary>
    Double,

    /// <summary>Its real work, even in a rehearsal (only when the policy's <c>rehearsals.allowRealSteps</c> is true).</summary>
    Run,
}

/// <summary>How a failed step is retried.</summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts in all, including the first.</summary>
    public int MaxAttempts { get; init; } = 1;

    /// <summary>The delay before the second attempt.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Each later delay is the previous one times this.</summary>
    public double BackoffCoefficient { get; init; } = 2.0;

    /// <summary>No delay is longer than this.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A random share (0 to 1) taken off each delay, so retries spread out.</summary>
    public double Jitter { get; init; }

    /// <summary>Error codes that fail at once, whatever the activity says.</summary>
    public IReadOnlyList<string> NonRetryable { get; init; } = [];

    /// <summary>When not empty, the only error codes that are retried; every other failure fails at once.</summary>
    public IReadOnlyList<string> On { get; init; } = [];

    /// <summary>One attempt, no retry.</summary>
    public static RetryPolicy None { get; } = new();
}
