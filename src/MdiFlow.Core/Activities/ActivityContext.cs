using System.Text.Json.Nodes;
using MdiFlow.Instances;
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

    /// <summary>A logger for the step. Structured fields, never secrets.</summary>
    public ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Signals that the attempt must stop (timeout, cancellation, shutdown).</summary>
    public CancellationToken CancellationToken { get; init; }
}
