using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Readiness;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Readiness;

public sealed class DetectServerRoleActivityTests
{
    private readonly FakeHostFacts _host = new();

    private DetectServerRoleActivity Activity => new(_host);

    [Fact]
    public async Task A_ready_domain_controller_gets_the_sensor_and_every_fact_passes()
    {
        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.SensorKind.Should().Be("sensor");
        output.OperatingSystem.Should().Be("Windows Server 2022 (10.0.20348)");
        output.Ready.Should().BeTrue();
        output.Facts.Select(f => f.Name).Should().Equal("operatingSystem", "cores", "memory", "freeDisk", "powerPlan", "dotNetFramework", "clockSkew");
        output.Facts.Should().OnlyContain(f => f.Status == FactStatus.Pass);
    }

    [Fact]
    public async Task A_member_server_gets_the_standalone_sensor()
    {
        _host.Server = Servers.MemberServer2019;

        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.SensorKind.Should().Be("standaloneSensor");
        output.DomainRole.Should().Be(3);
    }

    [Fact]
    public async Task Windows_server_2012_r2_past_support_is_a_warning_not_a_failure()
    {
        _host.Server = Servers.DomainController2022 with { OsCaption = "Microsoft Windows Server 2012 R2 Standard", OsVersion = "6.3.9600" };

        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.Facts.Single(f => f.Name == "operatingSystem").Should().BeEquivalentTo(new { Status = FactStatus.Warn, Note = "Windows Server 2012 R2 is past the end of support; the sensor still installs, but plan an upgrade." });
    }

    [Fact]
    public async Task A_balanced_power_plan_and_old_dot_net_are_warnings()
    {
        _host.Server = Servers.DomainController2022 with { PowerPlanId = new Guid("381b4222-f694-41f0-9685-ff5bb260df2e"), PowerPlanName = "Balanced", DotNetFrameworkRelease = 394802 };

        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.Facts.Where(f => f.Status == FactStatus.Warn).Select(f => f.Name).Should().Equal("powerPlan", "dotNetFramework");
        output.Facts.Single(f => f.Name == "dotNetFramework").Value.Should().Be("4.6.2 (Release 394802)");
    }

    [Fact]
    public async Task Too_little_memory_and_a_skewed_clock_fail_as_not_ready_with_every_fact_in_the_details()
    {
        _host.Server = Servers.DomainController2022 with { TotalMemoryBytes = 4_294_967_296, ClockSkew = TimeSpan.FromMinutes(7) };

        var error = (await Activity.RunAsync(new { })).ShouldFail("mdi.notReady");

        error.Message.Should().Be("DC01 is not ready for the sensor: memory is 4.3 GB, needs at least 6 GB; clockSkew is 420 s, needs within 5 minutes of the domain's time.");
        error.Fix.Should().Contain("6 GB of memory").And.Contain("w32tm /resync");
        error.Details.Should().ContainKeys("operatingSystem", "cores", "memory", "freeDisk", "powerPlan", "dotNetFramework", "clockSkew");
        error.Details!["memory"].Should().Be("fail: 4.3 GB");
    }

    [Fact]
    public async Task A_machine_sold_as_6_gb_passes_the_memory_check()
    {
        _host.Server = Servers.DomainController2022 with { TotalMemoryBytes = 6_441_979_904 };

        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.Facts.Single(f => f.Name == "memory").Status.Should().Be(FactStatus.Pass);
    }

    [Fact]
    public async Task Windows_server_2008_r2_is_not_supported()
    {
        _host.Server = Servers.DomainController2008R2;

        var error = (await Activity.RunAsync(new { })).ShouldFail("mdi.notReady");

        error.Message.Should().Contain("operatingSystem is Microsoft Windows Server 2008 R2 Enterprise (6.1.7601)");
    }

    [Theory]
    [InlineData("10.0.20348", 5, true, true)]
    [InlineData("10.0.17763", 4, true, true)]
    [InlineData("10.0.14393", 5, true, false)]
    [InlineData("10.0.20348", 3, true, false)]
    [InlineData("10.0.20348", 5, false, false)]
    public async Task Sensor_v3_is_possible_on_a_2019_or_later_domain_controller_onboarded_to_defender_for_endpoint(string version, int role, bool onboarded, bool possible)
    {
        _host.Server = Servers.DomainController2022 with { OsVersion = version, DomainRole = role, DefenderForEndpointOnboarded = onboarded };

        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.SensorV3Possible.Should().Be(possible);
    }

    [Fact]
    public async Task Off_windows_the_step_fails_with_host_unsupported()
    {
        var error = (await new DetectServerRoleActivity(new UnsupportedHostFacts()).RunAsync(new { })).ShouldFail("host.unsupported");

        error.Message.Should().StartWith("Step 'step' (mdi.detectServerRole) must run on the Windows server being deployed.");
        error.Fix.Should().Contain("--lab");
    }

    [Fact]
    public async Task The_output_is_camel_case_json_an_approver_can_read()
    {
        var json = (await Activity.RunAsync(new { })).ShouldCompleteWithJson();

        json["sensorKind"]!.GetValue<string>().Should().Be("sensor");
        json["facts"]![0]!["status"]!.GetValue<string>().Should().Be("pass");
        json["facts"]![0]!["requirement"]!.GetValue<string>().Should().Be("Windows Server 2016, 2019, 2022 or 2025");
    }
}
