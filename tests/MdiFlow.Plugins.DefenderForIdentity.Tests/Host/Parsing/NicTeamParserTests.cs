using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Host.Parsing;

public sealed class NicTeamParserTests
{
    [Fact]
    public void One_lbfo_team_printed_as_an_object_is_one_team_with_its_members()
    {
        var teams = NicTeamParser.ParseLbfo(Fixture.Text("Get-NetLbfoTeam.one.json"));

        teams.Should().ContainSingle().Which.Should().BeEquivalentTo(new NicTeam("Team1", "LBFO", ["Ethernet 2", "Ethernet"]));
    }

    [Fact]
    public void Several_lbfo_teams_printed_as_an_array_are_all_read()
    {
        var teams = NicTeamParser.ParseLbfo(Fixture.Text("Get-NetLbfoTeam.two.json"));

        teams.Select(t => t.Name).Should().Equal("Production", "Backup");
        teams[1].Members.Should().Equal("NIC3");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n")]
    public void No_output_means_no_team(string output)
    {
        NicTeamParser.ParseLbfo(output).Should().BeEmpty();
    }

    [Fact]
    public void A_switch_with_embedded_teaming_is_a_set_team()
    {
        var teams = NicTeamParser.ParseSwitchEmbedded(Fixture.Text("Get-VMSwitch.set.json"));

        teams.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new NicTeam("SETswitch", "SET", ["Mellanox ConnectX-4 Lx Ethernet Adapter", "Mellanox ConnectX-4 Lx Ethernet Adapter #2"]));
    }
}
