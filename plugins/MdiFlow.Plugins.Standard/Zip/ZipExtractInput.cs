namespace MdiFlow.Plugins.Standard.Zip;

/// <summary>The input of <c>zip.extract</c>.</summary>
public sealed record ZipExtractInput
{
    /// <summary>The zip file to extract.</summary>
    public required string Archive { get; init; }

    /// <summary>
    /// The folder to create with the archive's content. It must not exist yet, or be empty; a folder that holds
    /// anything else is refused. Only when the step recovers an attempt that died after moving its own extraction into
    /// place (this account's folder, nobody else may write it, exactly the archive's files) does it complete without
    /// extracting again.
    /// </summary>
    public required string Destination { get; init; }

    /// <summary>
    /// The archive's expected SHA-256 as 64 hexadecimal digits, in any case; when given, any other archive is refused.
    /// The archive is copied once into a private folder while it is hashed, and that copy is what is extracted.
    /// </summary>
    public string? Sha256 { get; init; }
}
