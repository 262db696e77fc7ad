using MdiFlow.Plugins.DefenderForIdentity.Tests.Graph;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using MdiFlow.Plugins.DefenderForIdentity.Verification;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Verification;

public sealed class CheckSensorHealthActivityTests : GraphFixture
{
    private const string Sensors = "/v1.0/security/identities/sensors";
    private readonly ObservedTime _time = new();

    private protected override TimeProvider Time => _time;

    [Fact]
    public async Task A_healthy_up_to_date_sensor_completes_at_the_first_look()
    {
        Graph.On(Sensors, Answer.Json(GraphJson.Sensors(GraphJson.Sensor("DC02"), GraphJson.Sensor("DC01"))));

        var output = (await Activity<CheckSensorHealthActivity>().RunAsync(new { computerName = "dc01" }, _time)).ShouldComplete<CheckSensorHealthOutput>();

        output.DisplayName.Should().Be("DC01");
        output.HealthStatus.Should().Be("healthy");
        output.DeploymentStatus.Should().Be("upToDate");
        output.Version.Should().Be("2.239.18124.58593");
        output.Polls.Should().Be(1);
    }

    [Fact]
    public async Task It_waits_for_a_syncing_sensor_at_the_poll_interval_until_it_is_healthy()
    {
        Graph.On(
            Sensors,
            Answer.Json(GraphJson.Sensors()),
            Answer.Json(GraphJson.Sensors(GraphJson.Sensor("DC01", "notHealthyLow", "syncing", issues: 1))),
            Answer.Json(GraphJson.Sensors(GraphJson.Sensor("DC01"))));

        var run = Activity<CheckSensorHealthActivity>().RunAsync(new { computerName = "DC01", pollEvery = "PT30S", waitUpTo = "PT5M" }, _time).AsTask();
        var delays = await _time.DriveAsync(run, shorterThan: TimeSpan.FromMinutes(1));

        var output = (await run).ShouldComplete<CheckSensorHealthOutput>();
        delays.Should().Equal(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        output.Polls.Should().Be(3);
        output.WaitedSeconds.Should().Be(60);
    }

    [Fact]
    public async Task When_the_bound_runs_out_the_failure_says_what_it_waited_for_and_what_it_last_saw()
    {
        Graph.On(Sensors, Answer.Json(GraphJson.Sensors(GraphJson.Sensor("DC01", "notHealthyMedium", "syncing", issues: 2))));

        var run = Activity<CheckSensorHealthActivity>().RunAsync(new { computerName = "DC01", pollEvery = "PT1M", waitUpTo = "PT3M" }, _time).AsTask();
        var delays = await _time.DriveAsync(run, shorterThan: TimeSpan.FromMinutes(2));

        var error = (await run).ShouldFail("sensor.notHealthy");
        delays.Should().HaveCount(3);
        error.Permanent.Should().BeFalse();
        error.Message.Should().Contain("healthStatus healthy and deploymentStatus upToDate")
            .And.Contain("up to 3 min").And.Contain("4 look(s)")
            .And.Contain("last seen: healthStatus notHealthyMedium, deploymentStatus syncing, 2 open health issue(s)");
        error.Fix.Should().Contain("up to an hour");
    }

    [Fact]
    public async Task A_sensor_that_needs_configuration_fails_at_once_with_the_portal_step()
    {
        Graph.On(Sensors, Answer.Json(GraphJson.Sensors(GraphJson.Sensor("ADFS01", "healthy", "notConfigured", type: "adfsIntegrated"))));

        var error = (await Activity<CheckSensorHealthActivity>().RunAsync(new { computerName = "ADFS01" }, _time)).ShouldFail("sensor.notConfigured");

        error.Fix.Should().Contain("domain controllers (FQDN)");
        Graph.Requests.Should().ContainSingle();
    }
}
