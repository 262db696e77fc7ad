using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MdiFlow.Lab.Identity;

/// <summary>
/// A self-signed TLS certificate for <c>localhost</c> and <c>127.0.0.1</c>, made in memory, so a rehearsal serves the
/// change-board page over HTTPS (its cookies are Secure) without a certificate on the machine. Browsers warn about it:
/// it is for rehearsals and tests only.
/// </summary>
public static class LabTlsCertificate
{
    /// <summary>Creates a certificate valid from yesterday for <paramref name="days"/> days.</summary>
    public static X509Certificate2 Create(TimeProvider? time = null, int days = 7)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=MdiFlow lab (localhost)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(days));
        // Re-imported so the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }
}
