using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Networking;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Networking;

public sealed class CheckNicTeamingActivityTests
{
    private static readonly NicTeam Team = new("Team1", "LBFO", ["Ethernet 2", "Ethernet"]);
    private readonly FakeHostFacts _host = new();

    private CheckNicTeamingActivity Activity => new(_host);

    [Fact]
    public async Task A_team_with_winpcap_fails_with_the_documented_fix()
    {
        _host.Network = new NetworkFacts { Teams = [Team], WinPcapVersion = "4.1.3" };

        var error = (await Activity.RunAsync(new { })).ShouldFail("mdi.nicTeamingWinPcap");

        error.Message.Should().Be("This server has NIC teaming (Team1 (LBFO: Ethernet 2, Ethernet)) and the WinPcap driver 4.1.3; with WinPcap the sensor fails on teamed adapters.");
        error.Fix.Should().StartWith("Uninstall the sensor (if installed) and WinPcap, install Npcap OEM").And.Contain("reinstall the sensor");
    }

    [Fact]
    public async Task A_team_with_npcap_passes_with_a_note()
    {
        _host.Network = new NetworkFacts { Teams = [Team with { Kind = "SET" }], NpcapVersion = "1.79" };

        var output = (await Activity.RunAsync(new { })).ShouldComplete<CheckNicTeamingOutput>();

        output.Should().BeEquivalentTo(new CheckNicTeamingOutput
        {
            Teams = ["Team1 (SET: Ethernet 2, Ethernet)"],
            CaptureDriver = "Npcap",
            CaptureDriverVersion = "1.79",
            Note = "NIC teaming works with the Npcap driver installed here.",
        });
    }

    [Fact]
    public async Task No_team_passes_without_a_note()
    {
        var output = (await Activity.RunAsync(new { })).ShouldComplete<CheckNicTeamingOutput>();

        output.Teams.Should().BeEmpty();
        output.CaptureDriver.Should().Be("none");
        output.Note.Should().BeNull();
    }

    [Fact]
    public async Task A_team_without_any_driver_yet_passes_because_the_installer_brings_npcap()
    {
        _host.Network = new NetworkFacts { Teams = [Team] };

        var output = (await Activity.RunAsync(new { })).ShouldComplete<CheckNicTeamingOutput>();

        output.Note.Should().Contain("installs");
    }
}
