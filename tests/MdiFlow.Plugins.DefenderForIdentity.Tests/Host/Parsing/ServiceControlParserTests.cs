using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Host.Parsing;

public sealed class ServiceControlParserTests
{
    [Fact]
    public void A_running_service_is_running()
    {
        var status = ServiceControlParser.ParseQuery(Fixture.Text("sc-query.AATPSensor.running.txt"));

        status.Should().Be(new ServiceStatus("AATPSensor", 4, "RUNNING"));
        status!.Running.Should().BeTrue();
    }

    [Fact]
    public void A_stopped_service_is_not_running()
    {
        var status = ServiceControlParser.ParseQuery(Fixture.Text("sc-query.AATPSensor.stopped.txt"));

        status!.Running.Should().BeFalse();
        status.StateName.Should().Be("STOPPED");
    }

    [Fact]
    public void Error_1060_means_the_service_is_not_installed()
    {
        ServiceControlParser.ParseQuery(Fixture.Text("sc-query.missing.txt")).Should().BeNull();
        ServiceControlParser.ParseConfiguration(Fixture.Text("sc-qc.missing.txt")).Should().BeNull();
    }

    [Theory]
    [InlineData("sc-qc.AATPSensor.txt", "AATPSensor", @"NT AUTHORITY\LocalService", "Microsoft.Tri.Sensor.exe")]
    [InlineData("sc-qc.AATPSensorUpdater.txt", "AATPSensorUpdater", "LocalSystem", "Microsoft.Tri.Sensor.Updater.exe")]
    public void The_configuration_gives_the_account_and_the_program(string fixture, string name, string account, string program)
    {
        var configuration = ServiceControlParser.ParseConfiguration(Fixture.Text(fixture))!;

        configuration.Name.Should().Be(name);
        configuration.StartName.Should().Be(account);
        configuration.BinaryPath.Should().Be($@"C:\Program Files\Azure Advanced Threat Protection Sensor\2.239.18412.34145\{program}");
    }

    [Fact]
    public void The_program_path_gives_the_installation_folder_and_the_version()
    {
        var (installPath, version) = SensorBinaryPath.Parse(@"C:\Program Files\Azure Advanced Threat Protection Sensor\2.239.18412.34145\Microsoft.Tri.Sensor.exe");

        installPath.Should().Be(@"C:\Program Files\Azure Advanced Threat Protection Sensor");
        version.Should().Be("2.239.18412.34145");
    }

    [Fact]
    public void Output_that_is_neither_a_status_nor_error_1060_is_a_format_error()
    {
        var parse = () => ServiceControlParser.ParseQuery("[SC] OpenSCManager FAILED 5:\r\n\r\nAccess is denied.\r\n");

        parse.Should().Throw<FormatException>().WithMessage("*Access is denied*");
    }
}
