using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Networking;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Networking;

public sealed class CaptureRulesTests
{
    private readonly FakeHostFacts _host = new();

    private CheckNicTeamingActivity Activity => new(_host);

    [Fact]
    public async Task Npcap_below_1_0_fails_with_the_oem_reinstall()
    {
        _host.Network = new NetworkFacts { NpcapVersion = "0.9986" };

        var error = (await Activity.RunAsync(new { })).ShouldFail("mdi.npcapOutdated");

        error.Fix.Should().Contain("Npcap 1.0 or later OEM").And.Contain("/loopback_support=no /winpcap_mode=yes /admin_only=no");
    }

    [Fact]
    public async Task Npcap_installed_with_loopback_support_or_admin_only_fails_naming_each_option()
    {
        _host.Network = new NetworkFacts { NpcapVersion = "1.79", NpcapOptions = new NpcapOptions(1, 0, 1) };

        var error = (await Activity.RunAsync(new { })).ShouldFail("mdi.npcapOptions");

        error.Message.Should().Contain("loopback support is on (needs /loopback_support=no)")
            .And.Contain("WinPcap API-compatible mode is off (needs /winpcap_mode=yes)")
            .And.Contain("restricted to administrators (needs /admin_only=no)");
    }

    [Fact]
    public async Task A_standalone_sensor_without_a_capture_adapter_fails_with_the_port_mirroring_setup()
    {
        _host.Network = new NetworkFacts { Adapters = [new NetworkAdapter("Ethernet", true, true)] };

        var error = (await Activity.RunAsync(new { standalone = true })).ShouldFail("mdi.noCaptureAdapter");

        error.Message.Should().Contain("no capture adapter among: Ethernet");
        error.Fix.Should().Contain("/32 mask").And.Contain("port mirroring");
    }

    [Fact]
    public async Task A_domain_controller_is_not_asked_for_a_capture_adapter()
    {
        _host.Network = new NetworkFacts { Adapters = [new NetworkAdapter("Ethernet", true, true)] };

        var output = (await Activity.RunAsync(new { })).ShouldComplete<CheckNicTeamingOutput>();

        output.CaptureAdapters.Should().BeNull();
    }
}
