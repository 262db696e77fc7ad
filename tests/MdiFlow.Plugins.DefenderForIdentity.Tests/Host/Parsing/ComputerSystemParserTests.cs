using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Host.Parsing;

public sealed class ComputerSystemParserTests
{
    [Fact]
    public void Reads_the_role_processors_and_memory_of_a_domain_controller_from_the_full_cim_output()
    {
        var computer = ComputerSystemParser.Parse(Fixture.Text("Win32_ComputerSystem.dc01.json"));

        computer.Should().Be(new ComputerSystemInfo("DC01", "contoso.com", 5, 4, 8589463552));
    }

    [Fact]
    public void Reads_the_properties_selected_for_a_member_server()
    {
        var computer = ComputerSystemParser.Parse(Fixture.Text("Win32_ComputerSystem.member-selected.json"));

        computer.DomainRole.Should().Be(3);
        computer.TotalPhysicalMemory.Should().Be(6441979904);
    }

    [Fact]
    public void Skips_a_warning_printed_before_the_json()
    {
        var output = "WARNING: Resulting JSON is truncated as serialization has exceeded the set depth of 2.\r\n" + Fixture.Text("Win32_ComputerSystem.member-selected.json");

        ComputerSystemParser.Parse(output).Name.Should().Be("ATASRV01");
    }

    [Fact]
    public void Output_without_a_domain_role_is_a_format_error_naming_the_property()
    {
        var parse = () => ComputerSystemParser.Parse("""{ "Name": "X", "NumberOfLogicalProcessors": 2, "TotalPhysicalMemory": 1 }""");

        parse.Should().Throw<FormatException>().WithMessage("Win32_ComputerSystem has no DomainRole.");
    }

    [Fact]
    public void Reads_the_caption_and_version_of_the_operating_system()
    {
        var os = OperatingSystemParser.Parse(Fixture.Text("Win32_OperatingSystem.json"));

        os.Should().Be(new OperatingSystemInfo("Microsoft Windows Server 2022 Datacenter", "10.0.20348"));
    }
}
