using MdiFlow.Activities;
using MdiFlow.Definitions;

namespace MdiFlow.Engine;

/// <summary>Decides whether a failed attempt is retried, and after how long.</summary>
internal static class RetrySchedule
{
    /// <summary>The delay before the next attempt, or null when the step has failed for good.</summary>
    /// <param name="policy">The step's policy.</param>
    /// <param name="error">The attempt's error.</param>
    /// <param name="attemptsInSeries">Attempts made in this series, including the failed one.</param>
    /// <param name="random">A number in [0, 1) for jitter.</param>
    public static TimeSpan? NextDelay(RetryPolicy policy, ActivityError error, int attemptsInSeries, double random)
    {
        if (!error.Retryable || policy.NonRetryable.Contains(error.Code) || attemptsInSeries >= policy.MaxAttempts)
        {
            return null;
        }

        var ticks = policy.InitialDelay.Ticks * Math.Pow(policy.BackoffCoefficient, attemptsInSeries - 1);
        ticks = Math.Min(ticks, policy.MaxDelay.Ticks);
        ticks *= 1 - (policy.Jitter * random);
        return TimeSpan.FromTicks((long)ticks);
    }
}
