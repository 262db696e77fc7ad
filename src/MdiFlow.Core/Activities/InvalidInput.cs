using System.Diagnostics.CodeAnalysis;
using MdiFlow.Serialization;

namespace MdiFlow.Activities;

/// <summary>The one way activities report an input they cannot use (code <c>activity.invalidInput</c>).</summary>
public static class InvalidInput
{
    /// <summary>The error code of an unusable input.</summary>
    public const string Code = "activity.invalidInput";

    /// <summary>A permanent failure (no retry can change the input) saying what is wrong with the step's input.</summary>
    public static ActivityResult Fail(ActivityContext context, string problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ActivityResult.Fail(new ActivityError(Code, $"The input of step '{context.StepId}' is not usable: {problem}", Permanent: true)
        {
            Fix = "The instance runs the definition and inputs it started with, so editing the workflow file changes nothing for it: when the value comes from one of its inputs, change that input and resume the instance; otherwise correct the step's 'with' block, cancel this instance and start a new one.",
        });
    }

    /// <summary>Parses an optional duration input (ISO 8601 or <c>hh:mm:ss</c>, never negative); a missing value gives <paramref name="fallback"/>.</summary>
    /// <returns>False with <paramref name="failure"/> set when the text is not a duration.</returns>
    public static bool TryDuration(
        ActivityContext context,
        string inputName,
        string? text,
        TimeSpan? fallback,
        out TimeSpan? value,
        [NotNullWhen(false)] out ActivityResult? failure)
    {
        failure = null;
        value = fallback;
        if (text is null)
        {
            return true;
        }

        if (Duration.TryParse(text, out var parsed))
        {
            value = parsed;
            return true;
        }

        failure = Fail(context, $"'{inputName}' is \"{text}\", which is not {Duration.Expected}; negative durations are not allowed.");
        return false;
    }
}
