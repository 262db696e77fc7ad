using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Engine;

/// <summary>What starting an instance needs.</summary>
public sealed record StartRequest
{
    /// <summary>Who starts it.</summary>
    public required Actor Actor { get; init; }

    /// <summary>Input values by name (secrets excluded).</summary>
    public JsonObject Inputs { get; init; } = [];

    /// <summary>Secret inputs by reference (<c>env:NAME</c> or <c>file:PATH</c>).</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A rehearsal: its steps run against a rehearsal environment, never with real effects, and it accepts asserted
    /// identities. Refused when the organisation policy switches rehearsals off.
    /// </summary>
    public bool Rehearsal { get; init; }

    /// <summary>Labels to attach (for a rehearsal, <c>lab.profile</c>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The id to give the instance (a new one when null), for a caller that sets up its rehearsal environment first.</summary>
    public InstanceId? Id { get; init; }
}

/// <summary>What running or resuming an instance needs.</summary>
public sealed record RunRequest
{
    /// <summary>Who runs it.</summary>
    public required Actor Actor { get; init; }

    /// <summary>Told about each step as it starts and ends.</summary>
    public IRunObserver? Observer { get; init; }
}

/// <summary>Where a run stopped.</summary>
/// <param name="Instance">The instance as stored when the run stopped.</param>
public sealed record RunResult(WorkflowInstance Instance)
{
    /// <summary>The instance's status.</summary>
    public InstanceStatus Status => Instance.Status;
}

/// <summary>Sees a run's progress (the CLI prints it).</summary>
public interface IRunObserver
{
    /// <summary>An attempt of a step started.</summary>
    void StepStarted(StepState step, bool isRecovery);

    /// <summary>An attempt of a step ended (completed, failed, waiting or skipped).</summary>
    void StepEnded(StepState step, TimeSpan duration);

    /// <summary>A retry will be attempted after <paramref name="delay"/>.</summary>
    void RetryWaiting(StepState step, TimeSpan delay);
}

/// <summary>A person's action at a gate.</summary>
public sealed record GateActionRequest
{
    /// <summary>Approve, reject or complete.</summary>
    public required MdiFlow.Gates.GateAction Action { get; init; }

    /// <summary>Who acts.</summary>
    public required Actor Actor { get; init; }

    /// <summary>The gate's step; null means the one the instance waits at.</summary>
    public string? Step { get; init; }

    /// <summary>The comment (approve), reason (reject) or evidence (complete).</summary>
    public string? Text { get; init; }
}

/// <summary>The outcome of a gate action.</summary>
/// <param name="Instance">The instance after the action.</param>
/// <param name="Note">Set when the action changed nothing, saying why.</param>
public sealed record GateActionResult(WorkflowInstance Instance, string? Note);
