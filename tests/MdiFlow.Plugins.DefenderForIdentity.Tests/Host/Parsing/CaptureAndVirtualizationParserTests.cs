using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Host.Parsing;

public sealed class CaptureAndVirtualizationParserTests
{
    [Fact]
    public void A_standalone_servers_report_gives_npcap_its_options_and_both_adapters()
    {
        var facts = CaptureFactsParser.Parse(Fixture.Text("CaptureScript.standalone.json"));

        facts.VersionOf("Npcap").Should().Be("1.79");
        facts.VersionOf("WinPcap").Should().BeNull();
        facts.Npcap.Should().Be(new NpcapOptions(0, 1, 0));
        facts.Adapters.Should().Equal(new NetworkAdapter("Management", true, true), new NetworkAdapter("Capture", false, false));
    }

    [Fact]
    public void Single_results_that_convertto_json_prints_as_objects_rather_than_arrays_are_read_as_one_item()
    {
        var facts = CaptureFactsParser.Parse(Fixture.Text("CaptureScript.winpcap.json"));

        facts.VersionOf("WinPcap").Should().Be("4.1.0.2980");
        facts.VersionOf("Npcap").Should().BeNull();
        facts.Npcap.Should().BeNull();
        facts.Adapters.Should().ContainSingle().Which.Name.Should().Be("Ethernet");
    }

    [Fact]
    public void The_virtualization_report_gives_the_platform_and_its_memory_allocation()
    {
        VirtualizationParser.Parse(Fixture.Text("VirtualizationScript.hyperv-dynamic.json")).Should().Be(new VirtualizationFacts { Platform = "Hyper-V", DynamicMemoryEnabled = true });
        VirtualizationParser.Parse(Fixture.Text("VirtualizationScript.vmware.json")).Should().Be(new VirtualizationFacts { Platform = "VMware7,1", MemoryReservationBytes = 8_589_934_592 });
    }

    [Fact]
    public void The_gmsa_report_says_who_holds_log_on_as_a_service_and_who_is_in_performance_log_users()
    {
        var account = DirectoryAccountParser.Parse(Fixture.Text("ServiceAccountScript.gmsa.json"), @"CONTOSO\mdiSvc01$");

        account.Sid.Should().Be("S-1-5-21-1004336348-1177238915-682003330-1609");
        account.KdsRootKeys.Should().Equal(new DateTimeOffset(2024, 6, 1, 8, 0, 0, TimeSpan.Zero));
        account.LogOnAsServiceGranted.Should().BeTrue("its own SID is listed");
        account.PerformanceLogUsersMember.Should().BeTrue("its group mdiSvc01Group is a member");
    }

    [Fact]
    public void A_report_without_the_new_fields_leaves_them_unknown()
    {
        var account = DirectoryAccountParser.Parse(Fixture.Text("ServiceAccountScript.admin-user.json"), @"CONTOSO\mdiAdmin");

        account.KdsRootKeys.Should().BeNull();
        account.LogOnAsServiceGranted.Should().BeNull();
        account.PerformanceLogUsersMember.Should().BeNull();
    }
}
