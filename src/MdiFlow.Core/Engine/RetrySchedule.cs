using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Instances;

namespace MdiFlow.Engine;

/// <summary>Decides whether a failed attempt is retried, and after how long, or why not.</summary>
internal static class RetrySchedule
{
    /// <summary>The delay before the next attempt, or why the step has failed for good.</summary>
    /// <param name="policy">The step's policy.</param>
    /// <param name="error">The attempt's error.</param>
    /// <param name="attemptsInSeries">Attempts made in this series, including the failed one.</param>
    /// <param name="random">A number in [0, 1) for jitter.</param>
    public static RetryDecision Decide(RetryPolicy policy, ActivityError error, int attemptsInSeries, double random)
    {
        if (Stop(policy, error, attemptsInSeries) is { } stop)
        {
            return new RetryDecision(null, stop);
        }

        var ticks = policy.InitialDelay.Ticks * Math.Pow(policy.BackoffCoefficient, attemptsInSeries - 1);
        ticks = Math.Min(ticks, policy.MaxDelay.Ticks);
        ticks *= 1 - (policy.Jitter * random);
        return new RetryDecision(TimeSpan.FromTicks((long)ticks), null);
    }

    /// <summary>Why the step is not retried after its total timeout left no room for another attempt.</summary>
    public static NotRetried OutOfTime(StepDefinition step, int attemptsInSeries) =>
        new(NotRetriedReason.TotalTimeout, $"its total timeout of {step.TotalTimeout} was used up after {Attempts(attemptsInSeries)}.");

    private static NotRetried? Stop(RetryPolicy policy, ActivityError error, int attempts)
    {
        if (policy.MaxAttempts <= 1)
        {
            return new(NotRetriedReason.SingleAttempt, "the step allows one attempt (it has no retry with maxAttempts above 1).");
        }

        if (error.Permanent)
        {
            return new(NotRetriedReason.Permanent, $"the activity marks '{error.Code}' permanent: no other attempt can succeed until something is changed ({Attempts(attempts)} of {policy.MaxAttempts} used).");
        }

        if (policy.NonRetryable.Contains(error.Code, StringComparer.Ordinal))
        {
            return new(NotRetriedReason.NonRetryable, $"the workflow lists '{error.Code}' in retry.nonRetryable ({Attempts(attempts)} of {policy.MaxAttempts} used).");
        }

        if (policy.On.Count > 0 && !policy.On.Contains(error.Code, StringComparer.Ordinal))
        {
            return new(NotRetriedReason.NotInRetryOn, $"retry.on retries only {string.Join(", ", policy.On.Select(c => $"'{c}'"))}, not '{error.Code}' ({Attempts(attempts)} of {policy.MaxAttempts} used).");
        }

        return attempts >= policy.MaxAttempts
            ? new(NotRetriedReason.AttemptsUsed, $"all {policy.MaxAttempts} attempts its retry allows (maxAttempts) were used.")
            : null;
    }

    private static string Attempts(int n) => n == 1 ? "1 attempt" : $"{n} attempts";
}

/// <summary>The delay before the next attempt, or why there is none.</summary>
internal readonly record struct RetryDecision(TimeSpan? Delay, NotRetried? Stop);
