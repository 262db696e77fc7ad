using System.Diagnostics.CodeAnalysis;
using MdiFlow.Activities;
using MdiFlow.Serialization;

namespace MdiFlow.Plugins.DefenderForIdentity;

/// <summary>The one way the MDI activities report an input they cannot use.</summary>
internal static class InputProblems
{
    public const string Code = "activity.invalidInput";

    public static ActivityResult Fail(ActivityContext context, string problem) =>
        ActivityResult.Fail(new ActivityError(Code, $"The input of step '{context.StepId}' is not usable: {problem}")
        {
            Fix = "Correct the step's 'with' block in the workflow file and run it again.",
        });

    /// <summary>Parses an optional duration input; a missing value gives <paramref name="fallback"/>.</summary>
    public static bool TryDuration(
        ActivityContext context,
        string inputName,
        string? text,
        TimeSpan fallback,
        out TimeSpan value,
        [NotNullWhen(false)] out ActivityResult? failure)
    {
        failure = null;
        value = fallback;
        if (text is null)
        {
            return true;
        }

        if (Duration.TryParse(text, out var parsed) && parsed > TimeSpan.Zero)
        {
            value = parsed;
            return true;
        }

        failure = Fail(context, $"'{inputName}' is \"{text}\", which is not a positive duration such as \"PT30S\" (ISO 8601) or \"00:00:30\".");
        return false;
    }

    /// <summary>Whether <paramref name="text"/> is an absolute http or https URL.</summary>
    public static bool TryHttpUri(string? text, [NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
