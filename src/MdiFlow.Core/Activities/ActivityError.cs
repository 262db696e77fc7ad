namespace MdiFlow.Activities;

/// <summary>An expected failure of an activity: what went wrong and what to do about it.</summary>
/// <param name="Code">A stable, dotted code, for example <c>zip.entryEscapes</c>.</param>
/// <param name="Message">One or more plain sentences for the operator: what is wrong, where.</param>
/// <param name="Retryable">Whether another attempt may succeed without a person changing anything.</param>
public sealed record ActivityError(string Code, string Message, bool Retryable = false)
{
    /// <summary>What the documentation says to do, when known.</summary>
    public string? Fix { get; init; }

    /// <summary>Diagnostic facts (log lines, exit codes). Never secrets.</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }
}
