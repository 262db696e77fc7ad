using Azure.Identity;
using MdiFlow.Plugins.DefenderForIdentity.Graph;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using MdiFlow.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Graph;

public sealed class ConfiguredGraphCredentialTests
{
    [Fact]
    public void A_client_secret_credential_without_a_tenant_says_which_setting_is_missing()
    {
        var create = () => ConfiguredGraphCredential.Create(new GraphAuthentication { Mode = GraphAuthenticationMode.ClientSecret, ClientId = "app" }, TextWriter.Null);

        create.Should().Throw<CredentialUnavailableException>().WithMessage("Graph authentication needs TenantId; set it in the MDI plugin's authentication options.");
    }

    [Fact]
    public void A_client_secret_given_as_a_value_is_refused_without_repeating_it()
    {
        var settings = new GraphAuthentication { Mode = GraphAuthenticationMode.ClientSecret, TenantId = "contoso.onmicrosoft.com", ClientId = "app", ClientSecretReference = "s3cr3t~value" };

        var create = () => ConfiguredGraphCredential.Create(settings, TextWriter.Null);

        create.Should().Throw<CredentialUnavailableException>().Which.Message.Should().NotContain("s3cr3t~value");
    }

    [Theory]
    [InlineData(GraphAuthenticationMode.DeviceCode, typeof(DeviceCodeCredential))]
    [InlineData(GraphAuthenticationMode.ClientSecret, typeof(ClientSecretCredential))]
    [InlineData(GraphAuthenticationMode.ClientCertificate, typeof(ClientCertificateCredential))]
    [InlineData(GraphAuthenticationMode.ManagedIdentity, typeof(ManagedIdentityCredential))]
    public void Each_mode_builds_its_azure_identity_credential(GraphAuthenticationMode mode, Type expected)
    {
        Environment.SetEnvironmentVariable("MDIFLOW_TEST_CLIENT_SECRET", "s3cr3t~value");
        var settings = new GraphAuthentication
        {
            Mode = mode,
            TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            ClientId = "3f6e2b1a-4b7c-4d2e-9f3a-5c6d7e8f9a0b",
            ClientSecretReference = "env:MDIFLOW_TEST_CLIENT_SECRET",
            CertificatePath = "/etc/mdiflow/graph.pem",
        };

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
        result.Error.Message.Should().Be("MdiFlow could not get a Microsoft Graph token (ClientSecret) for GET v1.0/subscribedSkus: Graph authentication needs TenantId; set it in the MDI plugin's authentication options.");
        graph.Requests.Should().BeEmpty();
    }
}
