using MdiFlow.Instances;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Engine;

/// <summary>
/// The engine's log events (ids 1000-1099), one per thing an operator wants to know happened; documented in
/// docs/telemetry.md. Messages name instances, steps, actors and error codes, never input values: errors reach them
/// already masked by the attempt that produced them.
/// </summary>
internal static partial class EngineLog
{
    [LoggerMessage(1000, LogLevel.Debug, "Run of instance {InstanceId} ({WorkflowId}) started by {Actor}.")]
    public static partial void RunStarted(ILogger logger, InstanceId instanceId, string workflowId, string actor);

    [LoggerMessage(1001, LogLevel.Information, "Run of instance {InstanceId} stopped: {Status}.")]
    public static partial void RunStopped(ILogger logger, InstanceId instanceId, string status);

    [LoggerMessage(1002, LogLevel.Warning, "Recovering instance {InstanceId} at step {StepId}: the run of process {PreviousPid} on {PreviousHost} is gone; the step runs again, told it is a recovery.")]
    public static partial void Recovering(ILogger logger, InstanceId instanceId, string? stepId, int? previousPid, string? previousHost);

    [LoggerMessage(1003, LogLevel.Warning, "This process lost its lease on instance {InstanceId} while step {StepId} ran: another process took it over. The step was stopped; nothing it did after that counts.")]
    public static partial void LeaseLost(ILogger logger, InstanceId instanceId, string stepId);

    [LoggerMessage(1004, LogLevel.Warning, "Instance {InstanceId} was changed by another process at the same moment; this save was refused and changed nothing.")]
    public static partial void Conflict(ILogger logger, InstanceId instanceId);

    [LoggerMessage(1005, LogLevel.Information, "Step {StepId} of instance {InstanceId} failed on attempt {Attempt} ({ErrorCode}); it is retried in {Delay}.")]
    public static partial void RetryWaiting(ILogger logger, string stepId, InstanceId instanceId, int attempt, string errorCode, TimeSpan delay);

    [LoggerMessage(1006, LogLevel.Information, "Step {StepId} of instance {InstanceId} failed on attempt {Attempt} ({ErrorCode}); its retry is scheduled for {DueAt:O}.")]
    public static partial void RetryScheduled(ILogger logger, string stepId, InstanceId instanceId, int attempt, string errorCode, DateTimeOffset dueAt);

    [LoggerMessage(1007, LogLevel.Warning, "Instance {InstanceId} failed at step {StepId} after {Attempts} attempt(s): {ErrorCode}.")]
    public static partial void Failed(ILogger logger, InstanceId instanceId, string stepId, int attempts, string errorCode);

    [LoggerMessage(1008, LogLevel.Information, "Instance {InstanceId} waits at gate {StepId} ({GateKind}).")]
    public static partial void GateOpened(ILogger logger, InstanceId instanceId, string stepId, string gateKind);

    [LoggerMessage(1009, LogLevel.Information, "{Actor} ({ActorSource}) took the action {Action} at gate {StepId} of instance {InstanceId}; the instance is {Status}.")]
    public static partial void GateDecided(ILogger logger, string actor, string actorSource, string action, string stepId, InstanceId instanceId, string status);

    [LoggerMessage(1010, LogLevel.Information, "The gate of instance {InstanceId} expired: it was {Outcome}.")]
    public static partial void GateExpired(ILogger logger, InstanceId instanceId, string outcome);

    [LoggerMessage(1011, LogLevel.Warning, "{Actor} may not run instance {InstanceId}: {Reason}")]
    public static partial void RunRefused(ILogger logger, string actor, InstanceId instanceId, string reason);

    [LoggerMessage(1012, LogLevel.Information, "The run of instance {InstanceId} was interrupted during step {StepId}; the instance was handed back and resume continues it.")]
    public static partial void Interrupted(ILogger logger, InstanceId instanceId, string? stepId);

    [LoggerMessage(1013, LogLevel.Debug, "Step {StepId} of instance {InstanceId}, attempt {Attempt}, ended {Outcome} in {DurationMs} ms.")]
    public static partial void StepEnded(ILogger logger, string stepId, InstanceId instanceId, int attempt, string outcome, long durationMs);
}
