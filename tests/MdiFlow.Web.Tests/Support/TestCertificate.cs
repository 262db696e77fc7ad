using System.Security.Cryptography.X509Certificates;
using MdiFlow.Lab.Identity;

namespace MdiFlow.Web.Tests.Support;

/// <summary>The lab's self-signed certificate for 127.0.0.1, made once per test run, so the page runs over HTTPS as it must (Secure cookies).</summary>
internal static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> Instance = new(() => LabTlsCertificate.Create());

    public static X509Certificate2 Value => Instance.Value;

    /// <summary>Accepts exactly this certificate (HttpClient handlers in tests).</summary>
    public static bool Validate(X509Certificate2? presented) => presented is not null && presented.Thumbprint == Value.Thumbprint;
}
