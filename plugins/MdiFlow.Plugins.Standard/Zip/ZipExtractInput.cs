namespace MdiFlow.Plugins.Standard.Zip;

/// <summary>The input of <c>zip.extract</c>.</summary>
public sealed record ZipExtractInput
{
    /// <summary>The zip file to extract.</summary>
    public required string Archive { get; init; }

    /// <summary>
    /// The folder to create with the archive's content. It must not exist yet, or be empty, or hold
    /// an earlier extraction of the same archive (then the step completes without extracting again).
    /// </summary>
    public required string Destination { get; init; }

    /// <summary>The archive's expected SHA-256 as 64 hexadecimal digits, in any case; when given, any other archive is refused.</summary>
    public string? Sha256 { get; init; }
}
