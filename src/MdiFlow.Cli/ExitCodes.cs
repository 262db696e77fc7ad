using MdiFlow.Instances;


namespace MdiFlow.Cli;

/// <summary>The exit codes of CLI.md; scripts rely on them.</summary>
internal static class ExitCodes
{
    public const int Done = 0;
    public const int Internal = 1;
    public const int Usage = 2;
    public const int Store = 3;
    public const int NotFound = 4;
    public const int NotAllowed = 5;
    public const int Waiting = 10;
    public const int Scheduled = 11;
    public const int Failed = 20;
    public const int Rejected = 21;
    public const int Cancelled = 22;
    public const int CompletedWithFailures = 23;
    public const int Interrupted = 130;

    /// <summary>The code of <c>run</c>/<c>resume</c> for where an instance stopped.</summary>
    public static int For(WorkflowInstance instance) =>
        instance.Status == InstanceStatus.Completed && instance.Steps.Any(s => s.Status == StepStatus.FailedContinued)
            ? CompletedWithFailures
            : For(instance.Status);

    /// <summary>The code of <c>run</c>/<c>resume</c> for the status an instance stopped in.</summary>
    public static int For(InstanceStatus status) => status switch
    {
        InstanceStatus.Completed => Done,
        InstanceStatus.Waiting => Waiting,
        InstanceStatus.Scheduled => Scheduled,
        InstanceStatus.Failed => Failed,
        InstanceStatus.Rejected => Rejected,
        InstanceStatus.Cancelled => Cancelled,
        _ => Interrupted,
    };
}
