namespace MdiFlow.Activities;

/// <summary>
/// The plugin contract: one step of a runbook. Most activities derive from
/// <see cref="Activity{TInput, TOutput}"/>, which binds a typed input and output.
/// </summary>
/// <remarks>
/// Expected failures are returned as <see cref="ActivityResult.Failed"/>, never thrown.
/// An exception escaping <see cref="ExecuteAsync"/> is treated as a bug in the activity
/// and recorded as a permanent failure (never retried: re-running a faulty activity is not safe) with the code
/// <c>activity.crashed</c>.
/// Every implementation must carry an <see cref="ActivityAttribute"/> that names it.
/// </remarks>
public interface IActivity
{
    /// <summary>Runs the activity once for one attempt of a step.</summary>
    /// <param name="context">The bound input, attempt, recovery flag, time, logger and cancellation.</param>
    /// <returns>The closed outcome of the attempt.</returns>
    ValueTask<ActivityResult> ExecuteAsync(ActivityContext context);
}
