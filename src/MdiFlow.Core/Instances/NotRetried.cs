namespace MdiFlow.Instances;

/// <summary>Why a failed step was not attempted again: a stable reason and a sentence for people.</summary>
/// <param name="Reason">The rule that stopped the retries.</param>
/// <param name="Explanation">The same in a sentence, with the codes and counts involved.</param>
public sealed record NotRetried(NotRetriedReason Reason, string Explanation);

/// <summary>The rules that stop a failed step's retries.</summary>
public enum NotRetriedReason
{
    /// <summary>The step allows one attempt: it has no <c>retry</c> (or <c>maxAttempts</c> is 1).</summary>
    SingleAttempt,

    /// <summary>The activity marked the failure permanent (an unusable input, a missing permission it names).</summary>
    Permanent,

    /// <summary>The workflow lists the error code in <c>retry.nonRetryable</c>.</summary>
    NonRetryable,

    /// <summary>The workflow's <c>retry.on</c> lists the only codes to retry, and this one is not among them.</summary>
    NotInRetryOn,

    /// <summary>Every attempt <c>retry.maxAttempts</c> allows was used.</summary>
    AttemptsUsed,

    /// <summary>The step's <c>totalTimeout</c> left no time for another attempt.</summary>
    TotalTimeout,
}
