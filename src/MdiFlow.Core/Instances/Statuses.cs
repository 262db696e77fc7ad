namespace MdiFlow.Instances;

/// <summary>Where an instance is in its lifecycle.</summary>
public enum InstanceStatus
{
    /// <summary>Created, not yet run.</summary>
    Pending,

    /// <summary>A process holds its lease and runs it.</summary>
    Running,

    /// <summary>Parked at a gate until a person acts.</summary>
    Waiting,

    /// <summary>May be resumed: a gate was satisfied, or an operator chose to continue.</summary>
    Ready,

    /// <summary>A retry is due at a stored time.</summary>
    Scheduled,

    /// <summary>A step failed after its retries.</summary>
    Failed,

    /// <summary>Every step completed or was skipped.</summary>
    Completed,

    /// <summary>A gate was rejected.</summary>
    Rejected,

    /// <summary>An operator ended it.</summary>
    Cancelled,
}

/// <summary>Where one step is.</summary>
public enum StepStatus
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>An attempt started and has not finished (or its process died).</summary>
    Running,

    /// <summary>Waiting at a gate.</summary>
    Waiting,

    /// <summary>Finished; never run again.</summary>
    Completed,

    /// <summary>Failed after its retries.</summary>
    Failed,

    /// <summary>Skipped by its condition or by an operator.</summary>
    Skipped,

    /// <summary>
    /// Failed after its retries, and the run went on past it because the step says <c>"onFailure": "continue"</c>:
    /// done for good, its error kept; the instance's completion counts it.
    /// </summary>
    FailedContinued,
}

/// <summary>Status helpers.</summary>
public static class StatusExtensions
{
    /// <summary>True for the statuses an instance never leaves.</summary>
    public static bool IsFinal(this InstanceStatus status) =>
        status is InstanceStatus.Completed or InstanceStatus.Rejected or InstanceStatus.Cancelled;

    /// <summary>The step status as workflows (<c>steps.ID.status</c>), the JSON and the CLI write it: <c>failedContinued</c>, <c>completed</c>.</summary>
    public static string Name(this StepStatus status) => status switch
    {
        StepStatus.FailedContinued => "failedContinued",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>True for steps that are done for good.</summary>
    public static bool IsDone(this StepStatus status) =>
        status is StepStatus.Completed or StepStatus.Skipped or StepStatus.FailedContinued;
}
