using System.Security.Cryptography.X509Certificates;

namespace MdiFlow.Plugins.DefenderForIdentity.SensorApi;

/// <summary>
/// The root certificates the sensor API's chain ends in. A chain ending anywhere else means something
/// between this server and the service re-signs TLS (SSL inspection), which the sensor does not support.
/// </summary>
internal static class MicrosoftRoots
{
    private static readonly HashSet<string> Thumbprints = new(StringComparer.OrdinalIgnoreCase)
    {
        "DF3C24F9BFD666761B268073FE06D1CC8D4F82A4", // DigiCert Global Root G2
        "7E04DE896A3E666D00E687D33FFAD93BE83D349E", // DigiCert Global Root G3
        "A8985D3A65E5E5C4B2D7D66D40C6DD2FB19C5436", // DigiCert Global Root CA
        "D4DE20D05E66FC53FE1A50882C78DB2852CAE474", // Baltimore CyberTrust Root
        "73A5E64A3BFF8316FF0EDCCC618A906E4EAE4D74", // Microsoft RSA Root Certificate Authority 2017
        "999A64C37FF47D9FAB95F14769891460EEC4C3C5", // Microsoft ECC Root Certificate Authority 2017
    };

    public static bool IsMicrosoftRoot(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Thumbprints.Contains(certificate.Thumbprint);
    }
}

/// <summary>
/// The roots the sensor requires in the machine's Root store, as Test-MdiReadiness.ps1 and the troubleshooting guide name them:
/// DigiCert Global Root G2 for commercial tenants, DigiCert Global Root CA for US Government GCC High.
/// </summary>
internal static class MicrosoftRootNames
{
    public const string GlobalRootG2 = "DF3C24F9BFD666761B268073FE06D1CC8D4F82A4";
    public const string GlobalRootCa = "A8985D3A65E5E5C4B2D7D66D40C6DD2FB19C5436";

    public static readonly IReadOnlyList<string> Required = [GlobalRootG2, GlobalRootCa];

    /// <summary>The root's name, or null when the thumbprint is not one of the required roots.</summary>
    public static string? NameOf(string thumbprint) => thumbprint.ToUpperInvariant() switch
    {
        GlobalRootG2 => "DigiCert Global Root G2",
        GlobalRootCa => "DigiCert Global Root CA",
        _ => null,
    };
}
