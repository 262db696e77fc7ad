using MdiFlow.Lab.Tests.Support;

namespace MdiFlow.Lab.Tests.Host;

public sealed class LabEnvironmentTests
{
    [Fact]
    public async Task A_lab_restarted_on_its_state_folder_keeps_its_addresses_so_bound_urls_survive_a_resume()
    {
        var test = await TestLab.StartAsync("proxy-required");
        var (graph, sensorApi, proxy) = (test.Lab.GraphBaseAddress, test.Lab.SensorApiUrlTemplate, test.Lab.ProxyAddress);
        await test.Lab.DisposeAsync();

        await using var again = await LabEnvironment.StartAsync(new LabOptions
        {
            ProfilePath = Repository.ProfileFile("proxy-required"),
            StateDirectory = test.Lab.StateDirectory,
            StandInCommand = TestLab.StandInCommand,
        });
        test.Temp.Dispose();

        (again.GraphBaseAddress, again.SensorApiUrlTemplate, again.ProxyAddress).Should().Be((graph, sensorApi, proxy));
    }

    [Fact]
    public async Task A_stand_in_command_is_required()
    {
        using var temp = new MdiFlow.Testing.TempDirectory();

        var act = () => LabEnvironment.StartAsync(new LabOptions { ProfilePath = "healthy-dc", StateDirectory = temp.Path, StandInCommand = [] });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("StandInCommand");
    }

    [Fact]
    public async Task The_proxys_credentials_are_offered_as_a_file_reference_only_when_the_proxy_demands_them()
    {
        await using var proxied = await TestLab.StartAsync("proxy-required");
        await using var direct = await TestLab.StartAsync("healthy-dc");

        var reference = proxied.Lab.ProxyCredentialReference;

        reference.Should().StartWith("file:");
        File.ReadAllText(reference!["file:".Length..]).Should().Be("svc-mdiproxy:Lab-Proxy-Passw0rd");
        direct.Lab.ProxyCredentialReference.Should().BeNull();
    }
}
