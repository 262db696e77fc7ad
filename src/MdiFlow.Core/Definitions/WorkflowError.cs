namespace MdiFlow.Definitions;

/// <summary>One mistake in a workflow: where (JSON path, and line where known) and what.</summary>
/// <param name="Path">The JSON path, for example <c>$.steps[2].with.archive</c>.</param>
/// <param name="Message">What is wrong and what to do.</param>
/// <param name="Line">The 1-based line in the file, when known.</param>
public sealed record WorkflowError(string Path, string Message, int? Line = null)
{
    /// <inheritdoc />
    public override string ToString() => Line is { } line ? $"{Path} (line {line}): {Message}" : $"{Path}: {Message}";
}

/// <summary>A workflow that cannot be used, with every mistake found.</summary>
public sealed class WorkflowValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkflowValidationException(string source, IReadOnlyList<WorkflowError> errors)
        : base($"{source} has {errors.Count} error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors.Select(e => "  " + e))}")
    {
        Source = source;
        Errors = errors;
    }

    /// <summary>Creates the exception.</summary>
    public WorkflowValidationException()
        : this("workflow", [])
    {
    }

    /// <summary>Creates the exception.</summary>
    public WorkflowValidationException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates the exception.</summary>
    public WorkflowValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Every mistake found.</summary>
    public IReadOnlyList<WorkflowError> Errors { get; }
}
