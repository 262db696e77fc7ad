namespace MdiFlow.Definitions;

/// <summary>One mistake in a workflow: where (JSON path, and line where known) and what.</summary>
/// <param name="Path">The JSON path, for example <c>$.steps[2].with.archive</c>.</param>
/// <param name="Message">What is wrong and what to do.</param>
/// <param name="Line">The 1-based line in the file, when known.</param>
public sealed record WorkflowError(string Path, string Message, int? Line = null)
{
    /// <summary>What kind of mistake it is (one of <see cref="WorkflowErrorCodes"/>), for tools that word their own hints.</summary>
    public string Code { get; init; } = WorkflowErrorCodes.Structure;

    /// <summary>The name the mistake is about (an unknown activity, input or field; a missing input), when there is one.</summary>
    public string? Subject { get; init; }

    /// <inheritdoc />
    public override string ToString() => Line is { } line ? $"{Path} (line {line}): {Message}" : $"{Path}: {Message}";
}

/// <summary>The kinds of <see cref="WorkflowError"/>.</summary>
public static class WorkflowErrorCodes
{
    /// <summary>The file cannot be read.</summary>
    public const string File = "file";

    /// <summary>The text is not JSON.</summary>
    public const string Json = "json";

    /// <summary>The JSON is not shaped as a workflow (unknown or missing properties, wrong types, bad durations).</summary>
    public const string Structure = "structure";

    /// <summary>A step uses an activity that is not installed.</summary>
    public const string UnknownActivity = "activity.unknown";

    /// <summary>A step's <c>with</c> block lacks an input its activity requires, names one it does not have, or gives one of the wrong type.</summary>
    public const string StepInput = "step.input";

    /// <summary>A binding or condition does not parse, or reads something that does not exist or may not be read there.</summary>
    public const string Binding = "binding";

    /// <summary>A secret is bound where other people could read it.</summary>
    public const string SecretExposed = "secret.exposed";

    /// <summary>An input's default is not of its declared type.</summary>
    public const string InputDefault = "input.default";

    /// <summary>A step's <c>onFailure</c> cannot be used there (a gate).</summary>
    public const string OnFailure = "step.onFailure";

    /// <summary>An input value given to a new instance is not declared, missing or of the wrong type.</summary>
    public const string InputValue = "input.value";

    /// <summary>A required input was given no value (<see cref="WorkflowError.Subject"/> names it).</summary>
    public const string InputMissing = "input.missing";

    /// <summary>A secret input was given a value instead of a reference, or a reference that is not one (<see cref="WorkflowError.Subject"/> names it).</summary>
    public const string SecretValue = "secret.value";

    /// <summary>A required secret input was given no reference (<see cref="WorkflowError.Subject"/> names it).</summary>
    public const string SecretMissing = "secret.missing";

    /// <summary>A warning: a step reads the output of a step that may fail and be continued past.</summary>
    public const string ContinuedOutput = "binding.continuedOutput";
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
