namespace MdiFlow.Plugins.DefenderForIdentity.Packages;

/// <summary>The output of <c>mdi.downloadPackage</c>: the package zip, its version and fingerprint.</summary>
public sealed record DownloadPackageOutput
{
    /// <summary>The zip, for <c>zip.extract</c> (installing from the zip itself fails).</summary>
    public required string Path { get; init; }

    /// <summary>The sensor version Graph reported for the package; null for an operator-supplied zip.</summary>
    public string? Version { get; init; }

    /// <summary>The zip's SHA-256 (lower-case hex), for the change record and <c>zip.extract</c>'s check.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The zip's size in bytes.</summary>
    public required long SizeBytes { get; init; }

    /// <summary><c>graph</c> (downloaded through getDeploymentPackageUri) or <c>operator</c> (the given <c>packagePath</c>).</summary>
    public required string Source { get; init; }

    /// <summary>The host the package came from (never with the URL's query, which may hold a signature).</summary>
    public string? DownloadHost { get; init; }
}
