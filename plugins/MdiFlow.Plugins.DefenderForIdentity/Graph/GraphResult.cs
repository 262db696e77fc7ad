using System.Diagnostics.CodeAnalysis;
using MdiFlow.Activities;

namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>The closed outcome of a Graph call: the value, or the failure to report as the step's error.</summary>
internal readonly record struct GraphResult<T>
    where T : class
{
    private readonly T? _value;
    private readonly ActivityError? _error;

    private GraphResult(T? value, ActivityError? error)
    {
        _value = value;
        _error = error;
    }

    public static GraphResult<T> Success(T value) => new(value, null);

    public static GraphResult<T> Failure(ActivityError error) => new(null, error);

    /// <summary>The value when the call succeeded, otherwise the error.</summary>
    public bool TryGetValue([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out ActivityError? error)
    {
        error = _error;
        if (error is null)
        {
            value = _value!;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>The error of a failed call; null when it succeeded.</summary>
    public ActivityError? Error => _error;
}
