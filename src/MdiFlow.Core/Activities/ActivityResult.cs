using System.Text.Json.Nodes;

namespace MdiFlow.Activities;

/// <summary>The closed outcome of one attempt: completed, failed, or waiting at a gate.</summary>
public abstract record ActivityResult
{
    private ActivityResult()
    {
    }

    /// <summary>Creates a completed outcome.</summary>
    /// <param name="output">The step's output, visible to later steps as <c>steps.ID.output</c>.</param>
    public static ActivityResult Complete(JsonNode? output = null) => new Completed(output);

    /// <summary>Creates a failed outcome.</summary>
    public static ActivityResult Fail(ActivityError error) => new Failed(error);

    /// <summary>Creates a failed outcome from a code and message; a step's <c>retry</c> policy may try it again.</summary>
    public static ActivityResult Fail(string code, string message) =>
        new Failed(new ActivityError(code, message));

    /// <summary>
    /// Creates a failed outcome that no retry can change: another attempt cannot succeed until a person changes
    /// something (the input, a permission the message names).
    /// </summary>
    public static ActivityResult FailPermanently(string code, string message) =>
        new Failed(new ActivityError(code, message, Permanent: true));

    /// <summary>Creates an outcome that parks the instance at a gate until a person acts.</summary>
    public static ActivityResult Wait(GateRequest gate) => new Waiting(gate);

    /// <summary>The step finished; its output is stored.</summary>
    /// <param name="Output">The output JSON, or null for none.</param>
    public sealed record Completed(JsonNode? Output) : ActivityResult;

    /// <summary>The step failed.</summary>
    /// <param name="Error">What went wrong.</param>
    public sealed record Failed(ActivityError Error) : ActivityResult;

    /// <summary>The step waits for a person (an approval or a manual task).</summary>
    /// <param name="Gate">What the gate waits for.</param>
    public sealed record Waiting(GateRequest Gate) : ActivityResult;
}

/// <summary>What a waiting step asks of people: its kind and the facts they need.</summary>
/// <param name="Kind">The gate kind, for example <c>approval</c>, <c>manualTask</c>, or an embedder's own.</param>
/// <param name="Details">Instructions, approvers and other facts shown to the people who act.</param>
public sealed record GateRequest(string Kind, JsonObject Details)
{
    /// <summary>
    /// For an embedder's own kind: decide it by the manual-task rules (<see cref="Gates.GateKinds.ManualTask"/>: its
    /// details carry <c>instructions</c> and <c>assignees</c>, and an assignee completes it with evidence), recorded with
    /// the gate so every process decides it alike. Null: by the <see cref="Gates.IGateDecider"/> registered for
    /// <see cref="Kind"/>, and not at all in a process that has none.
    /// </summary>
    public string? DecidedAs { get; init; }
}
