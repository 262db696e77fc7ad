using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>The certificate of certificate sign-in: from a file (PFX or PEM, with its private key) or from the certificate store by thumbprint.</summary>
internal static class GraphCertificate
{
    public static X509Certificate2 Load(GraphAuthentication settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.CertificateThumbprint))
        {
            return FromStore(settings.CertificateThumbprint, settings.CertificateStoreLocation);
        }

        var path = settings.CertificatePath;
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new SignInSettingsException("certificate sign-in names no certificate", "set graph.certificate.path (a PFX or PEM file) or graph.certificate.thumbprint (a certificate in the store)");
        }

        if (!File.Exists(path))
        {
            throw new SignInSettingsException($"the certificate file '{path}' was not found", "put the app registration's certificate (with its private key) there, or correct graph.certificate.path");
        }

        var password = settings.CertificatePasswordReference is { } reference
            ? ConfiguredGraphCredential.Reference(reference, "graph.certificate.password", "certificatePassword")
            : null;
        try
        {
            var certificate = Path.GetExtension(path).ToLowerInvariant() is ".pem" or ".crt"
                ? X509Certificate2.CreateFromPemFile(path)
                : X509CertificateLoader.LoadPkcs12FromFile(path, password);
            return certificate.HasPrivateKey
                ? certificate
                : throw new SignInSettingsException($"the certificate file '{path}' holds no private key", "use the PFX (or a PEM with the PRIVATE KEY block) of the certificate registered on the app");
        }
        catch (CryptographicException)
        {
            throw new SignInSettingsException(
                $"the certificate file '{path}' cannot be opened{(password is null ? "" : " with the password graph.certificate.password names")}",
                password is null ? "give a PFX or PEM file with its private key, and its password as graph.certificate.password (env:VARIABLE or file:PATH)" : "check the password it names, or export the certificate again");
        }
    }

    private static X509Certificate2 FromStore(string thumbprint, StoreLocation location)
    {
        var wanted = thumbprint.Replace(" ", "", StringComparison.Ordinal).Replace(":", "", StringComparison.Ordinal);
        using var store = new X509Store(StoreName.My, location);
        try
        {
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        }
        catch (CryptographicException)
        {
            throw NotFound(wanted, location);
        }

        var found = store.Certificates.Find(X509FindType.FindByThumbprint, wanted, validOnly: false);
        var certificate = found.FirstOrDefault(c => c.HasPrivateKey);
        foreach (var other in found.Where(c => !ReferenceEquals(c, certificate)))
        {
            other.Dispose();
        }

        return certificate ?? throw NotFound(wanted, location);
    }

    private static SignInSettingsException NotFound(string thumbprint, StoreLocation location) => new(
        $"no certificate with thumbprint {thumbprint} and its private key was found in the {location}\\My certificate store",
        $"import the app registration's certificate (with its private key) into {location}\\My for the account that runs MdiFlow, or correct graph.certificate.thumbprint");
}
