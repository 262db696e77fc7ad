namespace MdiFlow.Plugins.DefenderForIdentity.Packages;

/// <summary>The input of <c>mdi.downloadPackage</c>.</summary>
public sealed record DownloadPackageInput
{
    /// <summary>
    /// The folder to download into; the package lands in <c>{destination}\{version}\Azure ATP Sensor Setup.zip</c>.
    /// In a rehearsal it is always a folder in the rehearsal's sandbox.
    /// </summary>
    public required string Destination { get; init; }

    /// <summary>
    /// A package zip the operator downloaded from the portal (Settings > Identities > Sensors > Add sensor): when given,
    /// nothing is downloaded and this file is fingerprinted instead.
    /// </summary>
    public string? PackagePath { get; init; }

    /// <summary>The SHA-256 the package must have (hex), when the change record already names one.</summary>
    public string? ExpectedSha256 { get; init; }

    /// <summary>How long the download may take, as ISO 8601 (<c>PT10M</c>) or <c>hh:mm:ss</c>. Default 10 minutes.</summary>
    public string? Timeout { get; init; }
}
