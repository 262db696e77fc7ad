using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Rehearsals;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Activities;

/// <summary>Everything one attempt of a step may use.</summary>
public sealed class ActivityContext
{
    /// <summary>Creates a context. The engine does this; tests of activities may too.</summary>
    public ActivityContext(InstanceId instanceId, string stepId, JsonObject input)
    {
        InstanceId = instanceId;
        StepId = stepId;
        Input = input;
    }

    /// <summary>The instance the step belongs to.</summary>
    public InstanceId InstanceId { get; }

    /// <summary>The step's id in the workflow.</summary>
    public string StepId { get; }

    /// <summary>The step's input with every binding resolved. May hold secrets: never log or store it.</summary>
    public JsonObject Input { get; }

    /// <summary>The attempt number, starting at 1.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>
    /// True when an earlier attempt of this step started and never finished (the process died):
    /// its side effects may or may not have happened, so check before acting again.
    /// </summary>
    public bool IsRecovery { get; init; }

    /// <summary>The identity on whose behalf the step runs.</summary>
    public string Actor { get; init; } = "";

    /// <summary>The time source; never read the clock directly.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>A logger for the step. Structured fields, never secrets (the engine masks the secrets it knows of).</summary>
    public ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Signals that the attempt must stop (timeout, cancellation, shutdown).</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// The rehearsal environment when the instance is a rehearsal, else null. Activities declared
    /// <see cref="RehearsalMode.Double"/> confine what they write to its <see cref="IRehearsalEnvironment.SandboxDirectory"/>.
    /// </summary>
    public IRehearsalEnvironment? Rehearsal { get; init; }

    /// <summary>Where <see cref="TrackSecretFileAsync"/> records a file durably (set by the engine).</summary>
    internal Func<string, CancellationToken, ValueTask>? SecretFileTracker { get; init; }

    /// <summary>Where <see cref="RegisterSecret"/> hands a value to the engine's masking (set by the engine).</summary>
    internal Action<string>? SecretSink { get; init; }

    /// <summary>
    /// Records, durably and before the file exists, that <paramref name="path"/> will hold a secret for this step
    /// (for example a key file handed to an installer). The engine deletes every tracked file when the attempt ends,
    /// whatever it returns, and on recovery after a crash before anything else runs.
    /// </summary>
    /// <remarks>Call it before creating the file: a crash between the two then still leaves nothing behind.</remarks>
    public ValueTask TrackSecretFileAsync(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return SecretFileTracker?.Invoke(Path.GetFullPath(path), CancellationToken) ?? ValueTask.CompletedTask;
    }

    /// <summary>
    /// Tells the engine about a secret value the activity obtained itself (read from a vault, a reference): the
    /// engine masks it (<c>***</c>) in the step's output, error, details and log messages, as it does the values of
    /// secret bindings.
    /// </summary>
    public void RegisterSecret(string value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            SecretSink?.Invoke(value);
        }
    }
}
