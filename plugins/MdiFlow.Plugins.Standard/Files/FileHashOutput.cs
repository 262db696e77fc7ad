namespace MdiFlow.Plugins.Standard.Files;

/// <summary>The output of <c>file.hash</c>: what the journal records about the file.</summary>
public sealed record FileHashOutput
{
    /// <summary>The SHA-256 of the file's content, as 64 lowercase hexadecimal digits.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The number of bytes hashed.</summary>
    public required long Size { get; init; }
}
