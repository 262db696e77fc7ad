using MdiFlow.Activities;

namespace MdiFlow.Gates;

/// <summary>Input of the <c>manualTask</c> gate.</summary>
public sealed record ManualTaskInput
{
    /// <summary>What the person must do, with bindings rendered.</summary>
    public required string Instructions { get; init; }

    /// <summary>Who may complete it (<c>user:NAME</c>, <c>group:NAME</c>); none means anyone.</summary>
    public IReadOnlyList<string>? Assignees { get; init; }
}

/// <summary>Output of the <c>manualTask</c> gate.</summary>
/// <param name="CompletedBy">Who completed it.</param>
/// <param name="Evidence">What they recorded as evidence.</param>
public sealed record ManualTaskOutput(string CompletedBy, string Evidence);

/// <summary>Stops the instance until a person does a step by hand (a portal step) and records evidence.</summary>
[Activity(GateKinds.ManualTask, Description = "Waits until a person completes a step by hand and records the evidence.", Recovery = RecoveryMode.Idempotent, Rehearsal = RehearsalMode.Harmless, IsGate = true)]
internal sealed class ManualTaskActivity : Activity<ManualTaskInput, ManualTaskOutput>
{
    protected override ValueTask<ActivityResult> ExecuteAsync(ManualTaskInput input, ActivityContext context)
    {
        var problems = GateRules.CheckPrincipals(input.Assignees ?? [], "assignees", required: false).ToList();
        if (string.IsNullOrWhiteSpace(input.Instructions))
        {
            problems.Add("instructions must say what to do.");
        }

        return ValueTask.FromResult(problems.Count > 0
            ? ActivityResult.FailPermanently("manualTask.invalid", $"The manual task '{context.StepId}' is misconfigured: {string.Join(" ", problems)}")
            : ActivityResult.Wait(new GateRequest(GateKinds.ManualTask, new ManualTaskGate { Instructions = input.Instructions, Assignees = input.Assignees ?? [] }.ToJson())));
    }
}
