using MdiFlow.Activities;

namespace MdiFlow.Plugins.Standard.Timing;

/// <summary><c>delay</c>: waits for a duration on the engine's clock.</summary>
[Activity("delay", Description = "Waits for a duration.", Recovery = RecoveryMode.Idempotent, Rehearsal = RehearsalMode.Harmless)]
internal sealed class DelayActivity : Activity<DelayInput, NoOutput>
{
    // Task.Delay refuses more than about 49 days in one call.
    private static readonly TimeSpan LongestSingleWait = TimeSpan.FromDays(30);

    protected override async ValueTask<ActivityResult> ExecuteAsync(DelayInput input, ActivityContext context)
    {
        if (!InvalidInput.TryDuration(context, "duration", input.Duration, null, out var duration, out var failure))
        {
            return failure;
        }

        var remaining = duration.GetValueOrDefault();
        while (remaining > TimeSpan.Zero)
        {
            var wait = remaining < LongestSingleWait ? remaining : LongestSingleWait;
            await Task.Delay(wait, context.Time, context.CancellationToken).ConfigureAwait(false);
            remaining -= wait;
        }

        return ActivityResult.Complete();
    }
}
