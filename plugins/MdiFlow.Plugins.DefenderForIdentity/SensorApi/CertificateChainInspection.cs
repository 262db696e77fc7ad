using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MdiFlow.Plugins.DefenderForIdentity.SensorApi;

/// <summary>Validates the sensor API's certificate and remembers whether its chain ended outside Microsoft's roots.</summary>
internal sealed class CertificateChainInspection
{
    /// <summary>The subject of the foreign root, when the chain did not end in a Microsoft root.</summary>
    public string? ForeignRoot { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var root = chain is { ChainElements.Count: > 0 } ? chain.ChainElements[^1].Certificate : null;
        if (root is null || !MicrosoftRoots.IsMicrosoftRoot(root))
        {
            ForeignRoot = root?.Subject ?? certificate?.Issuer ?? "an unknown issuer";
            return false;
        }

        return errors == SslPolicyErrors.None;
    }
}
