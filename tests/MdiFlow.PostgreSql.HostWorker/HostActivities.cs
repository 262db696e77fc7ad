using MdiFlow.Activities;
using MdiFlow.Engine;
using Microsoft.Extensions.Options;

namespace MdiFlow.PostgreSql.HostWorker;

/// <summary>Input of the host activities: how long the step takes (real time, in a real process), 0 for at once.</summary>
public sealed record HoldInput
{
    /// <summary>How long the step takes, in milliseconds.</summary>
    public int HoldMilliseconds { get; init; }
}

/// <summary>Output of the host activities: which host and process ran the step.</summary>
/// <param name="Host">The engine's host name.</param>
/// <param name="ProcessId">The process that ran it.</param>
public sealed record RanOn(string Host, int ProcessId);

/// <summary>A step that must run on its target server (as every <c>mdi.*</c> host check and the install do).</summary>
[Activity("test.onHost", Description = "Runs on the instance's target host only, and says where it ran.", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true)]
internal sealed class OnHostActivity(IOptions<EngineOptions> options) : Activity<HoldInput, RanOn>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(HoldInput input, ActivityContext context)
    {
        if (input.HoldMilliseconds > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(input.HoldMilliseconds), context.Time, context.CancellationToken).ConfigureAwait(false);
        }

        return Complete(new RanOn(options.Value.HostName, Environment.ProcessId));
    }
}

/// <summary>A step any worker may run (a Graph check, a report).</summary>
[Activity("test.anywhere", Description = "Runs on any host, and says where it ran.", Recovery = RecoveryMode.Idempotent)]
internal sealed class AnywhereActivity(IOptions<EngineOptions> options) : Activity<HoldInput, RanOn>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(HoldInput input, ActivityContext context)
    {
        if (input.HoldMilliseconds > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(input.HoldMilliseconds), context.Time, context.CancellationToken).ConfigureAwait(false);
        }

        return Complete(new RanOn(options.Value.HostName, Environment.ProcessId));
    }
}
