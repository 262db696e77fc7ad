using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using MdiFlow.Plugins.DefenderForIdentity.Verification;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Verification;

public sealed class VerifySensorActivityTests
{
    private readonly FakeHostFacts _host = new();

    private VerifySensorActivity Activity => new(_host);

    private static SensorInstallation Installed(params ServiceFacts[] services) => new()
    {
        Installed = true,
        Version = "2.239.18412.34145",
        InstallPath = @"C:\Program Files\Azure Advanced Threat Protection Sensor",
        Services = services,
    };

    [Fact]
    public async Task Both_services_running_as_documented_pass_with_the_portal_note()
    {
        _host.Sensor = Installed(new("AATPSensor", true, @"NT AUTHORITY\LocalService"), new("AATPSensorUpdater", true, "LocalSystem"));

        var output = (await Activity.RunAsync(new { })).ShouldComplete<VerifySensorOutput>();

        output.Version.Should().Be("2.239.18412.34145");
        output.Note.Should().Contain("15 minutes");
    }

    [Fact]
    public async Task A_stopped_sensor_fails_retryably_and_points_to_the_errors_log()
    {
        _host.Sensor = Installed(new("AATPSensor", false, @"NT AUTHORITY\LocalService"), new("AATPSensorUpdater", true, "LocalSystem"));

        var error = (await Activity.RunAsync(new { })).ShouldFail("verify.notRunning");

        error.Message.Should().Be("The sensor is installed but the service AATPSensor is not running.");
        error.Fix.Should().StartWith(@"Read C:\Program Files\Azure Advanced Threat Protection Sensor\2.239.18412.34145\Logs\Microsoft.Tri.Sensor-Errors.log");
        error.Permanent.Should().BeFalse();
        error.Details!["AATPSensor"].Should().Be(@"not running as NT AUTHORITY\LocalService");
    }

    [Fact]
    public async Task A_service_running_as_another_account_fails()
    {
        _host.Sensor = Installed(new("AATPSensor", true, "LocalSystem"), new("AATPSensorUpdater", true, @"NT AUTHORITY\SYSTEM"));

        var error = (await Activity.RunAsync(new { })).ShouldFail("verify.serviceAccount");

        error.Message.Should().Be("The sensor is installed but the service AATPSensor runs as LocalSystem, not LocalService.");
    }

    [Fact]
    public async Task A_missing_updater_fails()
    {
        _host.Sensor = Installed(new ServiceFacts("AATPSensor", true, "NT AUTHORITY\\LOCAL SERVICE"));

        var error = (await Activity.RunAsync(new { })).ShouldFail("verify.notRunning");

        error.Message.Should().Contain("the service AATPSensorUpdater is not installed");
    }

    [Fact]
    public async Task No_sensor_fails_as_not_installed()
    {
        (await Activity.RunAsync(new { })).ShouldFail("verify.notInstalled");
    }
}
