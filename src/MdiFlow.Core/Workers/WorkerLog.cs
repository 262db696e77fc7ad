using MdiFlow.Instances;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Workers;

/// <summary>The worker's log events (ids 2000-2099); documented in docs/telemetry.md.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(2000, LogLevel.Information, "MdiFlow worker started on host {Host}: a pass every {PollInterval} when nothing is due, at most {BatchSize} instances per pass.")]
    public static partial void Started(ILogger logger, string host, TimeSpan pollInterval, int batchSize);

    [LoggerMessage(2001, LogLevel.Information, "MdiFlow worker on host {Host} stopped.")]
    public static partial void Stopped(ILogger logger, string host);

    [LoggerMessage(2002, LogLevel.Debug, "Worker pass: {Looked} instance(s) looked at, {Advanced} advanced.")]
    public static partial void PassDone(ILogger logger, int looked, int advanced);

    [LoggerMessage(2003, LogLevel.Error, "Worker pass {Failures} in a row failed; the next one is in {Wait}.")]
    public static partial void PassFailed(ILogger logger, int failures, TimeSpan wait, Exception exception);

    [LoggerMessage(2004, LogLevel.Debug, "Instance {InstanceId} is not the worker's to run now: {Reason}")]
    public static partial void TakenElsewhere(ILogger logger, InstanceId instanceId, string reason);

    [LoggerMessage(2005, LogLevel.Warning, "Instance {InstanceId} was not run: the policy does not let {Actor} run it ({Reason}). The worker looks at it again later.")]
    public static partial void NotAllowed(ILogger logger, InstanceId instanceId, string actor, string reason);

    [LoggerMessage(2006, LogLevel.Error, "Instance {InstanceId} was not run: its stored state disagrees with its record ({Reason}).")]
    public static partial void RecordDisagrees(ILogger logger, InstanceId instanceId, string reason);

    [LoggerMessage(2007, LogLevel.Error, "Running instance {InstanceId} failed unexpectedly; the worker goes on with the others.")]
    public static partial void RunCrashed(ILogger logger, InstanceId instanceId, Exception exception);

    [LoggerMessage(2008, LogLevel.Information, "The worker is stopping: the step under way in instance {InstanceId} was stopped and the instance handed back; a worker or 'resume' continues it.")]
    public static partial void HandedBack(ILogger logger, InstanceId instanceId);

    [LoggerMessage(2009, LogLevel.Warning, "The store's wake-up signal failed; the worker keeps polling.")]
    public static partial void SignalFailed(ILogger logger, Exception exception);
}
