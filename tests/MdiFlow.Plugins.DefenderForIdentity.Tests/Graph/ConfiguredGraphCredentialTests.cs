using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Identity;
using MdiFlow.Plugins.DefenderForIdentity.Graph;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using MdiFlow.Hosting;
using MdiFlow.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Graph;

public sealed class ConfiguredGraphCredentialTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Fact]
    public void A_client_secret_credential_without_a_tenant_says_which_setting_is_missing()
    {
        var create = () => ConfiguredGraphCredential.Create(new GraphAuthentication { Mode = GraphAuthenticationMode.ClientSecret, ClientId = "app" }, TextWriter.Null);

        var refused = create.Should().Throw<SignInSettingsException>().Which;
        refused.Problem.Should().Be("graph.tenantId is not set");
        refused.Fix.Should().Be("set graph.tenantId in mdiflow.json or MDIFLOW_GRAPH__TENANTID");
    }

    [Fact]
    public void A_client_secret_given_as_a_value_is_refused_without_repeating_it()
    {
        var settings = new GraphAuthentication { Mode = GraphAuthenticationMode.ClientSecret, TenantId = "contoso.onmicrosoft.com", ClientId = "app", ClientSecretReference = "s3cr3t~value" };

        var create = () => ConfiguredGraphCredential.Create(settings, TextWriter.Null);

        var refused = create.Should().Throw<SignInSettingsException>().Which;
        (refused.Message + refused.Fix).Should().NotContain("s3cr3t~value");
        refused.Problem.Should().Be("graph.clientSecret holds a value instead of a reference");
    }

    [Fact]
    public void A_certificate_file_that_is_not_there_is_named_with_the_fix()
    {
        var settings = new GraphAuthentication { Mode = GraphAuthenticationMode.ClientCertificate, TenantId = "contoso.onmicrosoft.com", ClientId = "app", CertificatePath = _folder.Combine("graph.pfx") };

        var create = () => ConfiguredGraphCredential.Create(settings, TextWriter.Null);

        create.Should().Throw<SignInSettingsException>().Which.Problem.Should().Be($"the certificate file '{_folder.Combine("graph.pfx")}' was not found");
    }

    [Fact]
    public void A_thumbprint_that_is_in_no_store_is_named_with_the_store_it_was_looked_up_in()
    {
        var settings = new GraphAuthentication { Mode = GraphAuthenticationMode.ClientCertificate, TenantId = "contoso.onmicrosoft.com", ClientId = "app", CertificateThumbprint = "00112233445566778899AABBCCDDEEFF00112233" };

        var create = () => ConfiguredGraphCredential.Create(settings, TextWriter.Null);

        create.Should().Throw<SignInSettingsException>().Which.Problem.Should().Be(
            "no certificate with thumbprint 00112233445566778899AABBCCDDEEFF00112233 and its private key was found in the CurrentUser\\My certificate store");
    }

    [Fact]
    public void A_password_protected_pfx_opens_with_the_password_its_reference_names()
    {
        var pfx = WriteCertificate("graph.pfx", "pfx-password");
        Environment.SetEnvironmentVariable("MDIFLOW_TEST_PFX_PASSWORD", "pfx-password");
        var settings = new GraphAuthentication { Mode = GraphAuthenticationMode.ClientCertificate, CertificatePath = pfx, CertificatePasswordReference = "env:MDIFLOW_TEST_PFX_PASSWORD" };

        using var certificate = GraphCertificate.Load(settings);

        certificate.HasPrivateKey.Should().BeTrue();
        var wrong = () => GraphCertificate.Load(new GraphAuthentication { CertificatePath = pfx });
        wrong.Should().Throw<SignInSettingsException>().Which.Problem.Should().Be($"the certificate file '{pfx}' cannot be opened");
    }

    [Theory]
    [InlineData(GraphAuthenticationMode.DeviceCode, typeof(DeviceCodeCredential))]
    [InlineData(GraphAuthenticationMode.ClientSecret, typeof(ClientSecretCredential))]
    [InlineData(GraphAuthenticationMode.ClientCertificate, typeof(ClientCertificateCredential))]
    [InlineData(GraphAuthenticationMode.ManagedIdentity, typeof(ManagedIdentityCredential))]
    [InlineData(GraphAuthenticationMode.WorkloadIdentity, typeof(WorkloadIdentityCredential))]
    [InlineData(GraphAuthenticationMode.AzureCli, typeof(AzureCliCredential))]
    public void Each_mode_builds_its_azure_identity_credential(GraphAuthenticationMode mode, Type expected)
    {
        Environment.SetEnvironmentVariable("MDIFLOW_TEST_CLIENT_SECRET", "s3cr3t~value");
        var settings = new GraphAuthentication
        {
            Mode = mode,
            TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            ClientId = "3f6e2b1a-4b7c-4d2e-9f3a-5c6d7e8f9a0b",
            ClientSecretReference = "env:MDIFLOW_TEST_CLIENT_SECRET",
            CertificatePath = WriteCertificate("graph.pfx", password: null),
            WorkloadIdentityTokenFile = _folder.Combine("token"),
        };
        File.WriteAllText(settings.WorkloadIdentityTokenFile, "eyJ0eXAiOiJKV1QifQ.e30.");

        ConfiguredGraphCredential.Create(settings, TextWriter.Null).Should().BeOfType(expected);
    }

    [Fact]
    public async Task A_credential_that_cannot_be_built_fails_the_graph_call_not_the_host()
    {
        await using var graph = new GraphServer();
        var collection = new ServiceCollection();
        collection.AddMdiFlow(flow => flow.AddDefenderForIdentity(o =>
        {
            o.GraphBaseAddress = graph.BaseAddress;
            o.Authentication.Mode = GraphAuthenticationMode.ClientSecret;
        }));
        await using var services = collection.BuildServiceProvider();

        var result = await services.GetRequiredService<GraphClient>().SubscribedSkusAsync(CancellationToken.None);

        result.Error!.Code.Should().Be("graph.authentication");
        result.Error.Message.Should().Be("Signing in to Microsoft Graph (client secret) for GET v1.0/subscribedSkus failed: graph.tenantId is not set.");
        result.Error.Fix.Should().Be("Set graph.tenantId in mdiflow.json or MDIFLOW_GRAPH__TENANTID, then resume the instance.");
        graph.Requests.Should().BeEmpty();
    }

    public void Dispose() => _folder.Dispose();

    private string WriteCertificate(string name, string? password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=mdiflow-graph-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch.AddYears(50), DateTimeOffset.UnixEpoch.AddYears(60));
        var path = _folder.Combine(name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
