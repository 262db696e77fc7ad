namespace MdiFlow.Plugins.Standard.Files;

/// <summary>The input of <c>file.hash</c>.</summary>
public sealed record FileHashInput
{
    /// <summary>The file to hash: an absolute path, or one relative to the host's current folder.</summary>
    public required string Path { get; init; }
}
