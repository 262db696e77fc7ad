using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Configuration;

/// <summary>
/// A real run whose first step signs in to Microsoft Graph with certificate sign-in, against Entra ID's token endpoint
/// answering on 127.0.0.1 over HTTPS as login.microsoftonline.com does: each failure is one sentence with its cause
/// and fix, and none of the Azure SDK's or Entra's own text reaches the operator.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class GraphSignInTests(PublishedCli cli) : IDisposable
{
    private const string Workflow = """
        { "$schema": "../workflows/mdiflow.schema.json", "id": "licence-only", "version": "1",
          "steps": [ { "id": "licence", "uses": "mdi.checkLicense" } ] }
        """;

    private readonly Workspace _ws = new();

    [Fact]
    public async Task A_tenant_that_does_not_exist_is_named_with_the_fix_in_one_sentence()
    {
        await using var entra = await EntraTokenEndpoint.StartAsync();

        var run = Run(entra, entra.Address, tenant: "contoso-typo.onmicrosoft.com", client: entra.ConsentedClient);

        run.ExitCode.Should().Be(20, run.ToString());
        Sentence(run).Should().Be($"Signing in to Microsoft Graph (certificate) for GET v1.0/subscribedSkus failed: Entra ID has no tenant 'contoso-typo.onmicrosoft.com' at {entra.Address.GetLeftPart(UriPartial.Authority)} (AADSTS90002).");
        Fix(run).Should().Be("Set graph.tenantId to the directory (tenant) id or a verified domain of your tenant, as the Entra admin center shows on its Overview page, then resume the instance.");
        NoSdkText(run, "Tenant 'contoso-typo.onmicrosoft.com' not found");
        entra.Requests.Should().Contain("POST /contoso-typo.onmicrosoft.com/oauth2/v2.0/token", "the sign-in really went to the token endpoint");
    }

    [Fact]
    public async Task An_app_without_admin_consent_is_named_with_the_fix_in_one_sentence()
    {
        await using var entra = await EntraTokenEndpoint.StartAsync();

        var run = Run(entra, entra.Address, tenant: entra.Tenant, client: entra.UnconsentedClient);

        run.ExitCode.Should().Be(20, run.ToString());
        Sentence(run).Should().Be($"Signing in to Microsoft Graph (certificate) for GET v1.0/subscribedSkus failed: the app '{entra.UnconsentedClient}' has no admin consent in tenant '{entra.Tenant}' for the Microsoft Graph permissions it asks for (AADSTS65001).");
        Fix(run).Should().StartWith($"Have an administrator grant admin consent (Entra admin center > App registrations > {entra.UnconsentedClient} > API permissions > Grant admin consent");
        NoSdkText(run, "has not consented to use the application");
    }

    [Fact]
    public async Task A_sign_in_endpoint_with_no_route_says_so_and_how_to_set_the_proxy()
    {
        await using var entra = await EntraTokenEndpoint.StartAsync();
        var closed = ClosedPort();

        var run = Run(entra, closed, tenant: entra.Tenant, client: entra.ConsentedClient);

        run.ExitCode.Should().Be(20, run.ToString());
        Sentence(run).Should().Be($"Signing in to Microsoft Graph (certificate) for GET v1.0/subscribedSkus failed: this host could not reach {closed.GetLeftPart(UriPartial.Authority)} (no route to the sign-in endpoint; a proxy may be required).");
        Fix(run).Should().Be("Allow this host to reach login.microsoftonline.com and graph.microsoft.com on TCP 443, or set graph.proxy (MDIFLOW_GRAPH__PROXY) to your proxy, then resume the instance.");
        NoSdkText(run, "Connection refused");
    }

    [Fact]
    public void A_certificate_that_is_not_in_the_store_is_named_before_anything_is_sent()
    {
        var config = _ws.Write("mdiflow.json", new JsonObject
        {
            ["graph"] = new JsonObject
            {
                ["signIn"] = "certificate",
                ["tenantId"] = "contoso.onmicrosoft.com",
                ["clientId"] = "3f6e2b1a-4b7c-4d2e-9f3a-5c6d7e8f9a0b",
                ["certificate"] = new JsonObject { ["thumbprint"] = "00112233445566778899AABBCCDDEEFF00112233" },
            },
        }.ToJsonString());

        var run = cli.Mdiflow(_ws.Root, Variables(null), "run", _ws.Write("licence.json", Workflow), "--config", config, "--store", _ws.Store);

        run.ExitCode.Should().Be(20, run.ToString());
        Sentence(run).Should().Be("Signing in to Microsoft Graph (certificate) for GET v1.0/subscribedSkus failed: no certificate with thumbprint 00112233445566778899AABBCCDDEEFF00112233 and its private key was found in the CurrentUser\\My certificate store.");
        Fix(run).Should().StartWith("Import the app registration's certificate (with its private key) into CurrentUser\\My for the account that runs MdiFlow");
    }

    public void Dispose() => _ws.Dispose();

    private CliResult Run(EntraTokenEndpoint entra, Uri authority, string tenant, string client)
    {
        var config = _ws.Write("mdiflow.json", new JsonObject
        {
            ["graph"] = new JsonObject
            {
                ["signIn"] = "certificate",
                ["tenantId"] = tenant,
                ["clientId"] = client,
                ["certificate"] = new JsonObject { ["path"] = Certificate(), ["password"] = "env:GRAPH_PFX_PASSWORD" },
                ["authorityHost"] = authority.ToString(),
                ["baseAddress"] = "https://127.0.0.1:9/",
            },
        }.ToJsonString());
        return cli.Mdiflow(_ws.Root, Variables(entra), "run", _ws.Write("licence.json", Workflow), "--config", config, "--store", _ws.Store);
    }

    private static Dictionary<string, string> Variables(EntraTokenEndpoint? entra)
    {
        var environment = new Dictionary<string, string> { ["GRAPH_PFX_PASSWORD"] = "pfx-password", ["HTTPS_PROXY"] = "", ["https_proxy"] = "", ["NO_PROXY"] = "*" };
        if (entra is not null)
        {
            environment["SSL_CERT_FILE"] = entra.TrustFile;
        }

        return environment;
    }

    /// <summary>The failure line of the run: the step's error, as printed.</summary>
    private static string Sentence(CliResult run)
    {
        var line = run.Stdout.Split('\n').Single(l => l.StartsWith("Instance ", StringComparison.Ordinal) && l.Contains(" failed at step 'licence'", StringComparison.Ordinal)).TrimEnd('\r');
        return line[(line.IndexOf("[graph.authentication] ", StringComparison.Ordinal) + "[graph.authentication] ".Length)..];
    }

    private static string Fix(CliResult run) =>
        run.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("What to do: ", StringComparison.Ordinal)).Trim()["What to do: ".Length..];

    private static void NoSdkText(CliResult run, string entraText)
    {
        var all = run.Stdout + run.Stderr;
        foreach (var sdk in new[] { entraText, "ClientCertificateCredential", "authentication failed", "MSAL", "Microsoft.Identity", "aka.ms", "troubleshoot", "Retry settings", "ClientOptions", "Trace ID", "Exception" })
        {
            all.Should().NotContain(sdk, "the operator sees MdiFlow's sentence, not the SDK's text");
        }
    }

    private string Certificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=MdiFlow deployment", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch.AddYears(50), DateTimeOffset.UnixEpoch.AddYears(80));
        var path = _ws.PathOf("graph.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        return path;
    }

    private static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"https://127.0.0.1:{port}/");
    }
}
