using Azure.Core;
using MdiFlow.Hosting;
using MdiFlow.Lab.Tests.Support;
using MdiFlow.Plugins.DefenderForIdentity;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MdiFlow.Lab.Tests.Host;

public sealed class LabWiringTests
{
    [Fact]
    public async Task UseDefenderForIdentityLab_replaces_the_host_services_and_points_the_options_at_the_lab()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var services = new ServiceCollection();
        services.AddSingleton<IHostFacts>(new UnusedHostFacts());
        services.AddSingleton<TokenCredential>(new UnusedCredential());

        services.AddMdiFlow(flow => flow.UseInMemoryStore().AddDefenderForIdentity()).UseDefenderForIdentityLab(test.Lab);
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IHostFacts>().Should().ContainSingle().Which.Should().BeSameAs(test.Lab.HostFacts);
        provider.GetServices<ISetupLauncher>().Should().ContainSingle().Which.Should().BeSameAs(test.Lab.SetupLauncher);
        provider.GetServices<IAuditSettings>().Should().ContainSingle().Which.Should().BeSameAs(test.Lab.AuditSettings);
        provider.GetServices<TokenCredential>().Should().ContainSingle().Which.Should().BeSameAs(test.Lab.Credential);
        var options = provider.GetRequiredService<IOptions<DefenderForIdentityOptions>>().Value;
        options.GraphBaseAddress.Should().Be(test.Lab.GraphBaseAddress);
        options.SensorApiUrlTemplate.Should().Be(test.Lab.SensorApiUrlTemplate);
        options.RequireMicrosoftCertificateChain.Should().BeFalse();
        options.InstallerLogDirectory.Should().StartWith(test.Lab.StateDirectory);
        options.KeyVaultDirectory.Should().StartWith(test.Lab.StateDirectory);
    }

    [Fact]
    public async Task The_lab_credential_hands_out_the_token_the_labs_graph_accepts()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");

        var token = await test.Lab.Credential.GetTokenAsync(new TokenRequestContext(["https://graph.microsoft.com/.default"]), default);
        var (status, _, _) = await test.Graph().GetJsonAsync("v1.0/me");

        token.Token.Should().StartWith("mdiflow-lab.");
        token.ExpiresOn.Should().BeAfter(DateTimeOffset.UnixEpoch);
        status.Should().Be(200);
    }

    private sealed class UnusedHostFacts : IHostFacts
    {
        public ValueTask<ServerFacts> GetServerAsync(CancellationToken cancellationToken) => throw new InvalidOperationException();

        public ValueTask<NetworkFacts> GetNetworkAsync(CancellationToken cancellationToken) => throw new InvalidOperationException();

        public ValueTask<ServiceAccountFacts> GetServiceAccountAsync(string account, CancellationToken cancellationToken) => throw new InvalidOperationException();

        public ValueTask<SensorInstallation> GetSensorAsync(CancellationToken cancellationToken) => throw new InvalidOperationException();
    }

    private sealed class UnusedCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw new InvalidOperationException();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw new InvalidOperationException();
    }
}
