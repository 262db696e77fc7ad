namespace MdiFlow.Activities;

/// <summary>
/// Marks an input property that ends up where other people can read it (a process command line, a URL): a
/// workflow that binds a secret into it fails validation, naming the input and where secrets may go instead.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class NoSecretsAttribute : Attribute
{
    /// <summary>Where a secret should go instead, for the validation message (for example "environment or stdin").</summary>
    public string? Alternative { get; init; }
}
