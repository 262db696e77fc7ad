using MdiFlow.Lab.Tests.Support;

namespace MdiFlow.Lab.Tests.Host;

public sealed class LabHostFactsTests
{
    [Fact]
    public async Task The_server_and_network_facts_are_the_profiles()
    {
        await using var test = await TestLab.StartAsync("nic-teaming-winpcap");

        var server = await test.Lab.HostFacts.GetServerAsync(default);
        var network = await test.Lab.HostFacts.GetNetworkAsync(default);

        server.Should().Be(test.Lab.Profile.Server);
        network.Teams.Should().ContainSingle().Which.Kind.Should().Be("LBFO");
        network.WinPcapVersion.Should().Be("4.1.3");
    }

    [Theory]
    [InlineData("CONTOSO\\mdiSvc01$")]
    [InlineData("contoso\\MDISVC01$")]
    [InlineData("mdiSvc01$")]
    [InlineData("mdiSvc01")]
    public async Task A_service_account_is_found_under_any_of_its_names(string name)
    {
        await using var test = await TestLab.StartAsync("healthy-dc");

        var account = await test.Lab.HostFacts.GetServiceAccountAsync(name, default);

        account.Exists.Should().BeTrue();
        account.Kind.Should().Be("gMSA");
    }

    [Fact]
    public async Task An_account_the_directory_does_not_know_does_not_exist()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");

        var account = await test.Lab.HostFacts.GetServiceAccountAsync("FABRIKAM\\mdiSvc01$", default);

        account.Should().Match<Plugins.DefenderForIdentity.Host.ServiceAccountFacts>(a => !a.Exists && a.Account == "FABRIKAM\\mdiSvc01$");
    }

    [Fact]
    public async Task The_sensor_is_not_installed_until_the_setup_installs_it()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");

        var sensor = await test.Lab.HostFacts.GetSensorAsync(default);

        sensor.Installed.Should().BeFalse();
        test.Lab.InstallCount.Should().Be(0);
    }

    [Fact]
    public async Task Switching_profiles_keeps_the_simulated_servers_state_and_addresses()
    {
        using var folder = new MdiFlow.Testing.TempDirectory();
        var state = folder.Combine("lab");
        Uri proxy;
        await using (var first = await LabEnvironment.StartAsync(new LabOptions { ProfilePath = "healthy-dc", StateDirectory = state, StandInCommand = TestLab.StandInCommand }))
        {
            proxy = first.ProxyAddress;
        }

        await using var second = await LabEnvironment.StartAsync(new LabOptions
        {
            ProfilePath = "no-licence",
            StateDirectory = state,
            StandInCommand = TestLab.StandInCommand,
        });

        second.Profile.Name.Should().Be("no-licence");
        second.ProxyAddress.Should().Be(proxy, "a bound proxyUrl input must stay valid after the operator switches profile");
    }
}
