namespace MdiFlow.Activities;

/// <summary>An expected failure of an activity: what went wrong and what to do about it.</summary>
/// <param name="Code">A stable, dotted code, for example <c>zip.entryEscapes</c>.</param>
/// <param name="Message">One or more plain sentences for the operator: what is wrong, where.</param>
/// <param name="Permanent">
/// Whether another attempt cannot succeed until a person changes something (the input is unusable, a permission the
/// activity names is missing). A step's <c>retry</c> policy retries every failure that is not permanent.
/// </param>
public sealed record ActivityError(string Code, string Message, bool Permanent = false)
{
    /// <summary>What the documentation says to do, when known.</summary>
    public string? Fix { get; init; }

    /// <summary>Diagnostic facts (log lines, exit codes). Never secrets.</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }
}
