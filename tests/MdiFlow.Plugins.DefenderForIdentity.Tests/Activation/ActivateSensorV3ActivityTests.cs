using MdiFlow.Plugins.DefenderForIdentity.Activation;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Graph;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Activation;

public sealed class ActivateSensorV3ActivityTests : GraphFixture
{
    private const string Sensors = "/v1.0/security/identities/sensors";
    private const string Candidates = "/v1.0/security/identities/sensorCandidates";
    private const string Activate = "/v1.0/security/identities/sensorCandidates/activate";

    [Fact]
    public async Task Activates_the_candidate_of_this_server_by_its_id()
    {
        Graph.On(Sensors, Answer.Json(GraphJson.Sensors()))
            .On(Candidates, Answer.Json(GraphJson.SensorCandidates(("a1", "dc02.contoso.com"), ("c0633ebb-8cfb-f17a-0b9e-83aa661f53a3", "DC01.contoso.com"))))
            .On(Activate, new Answer(200, ""));

        var output = (await Activity<ActivateSensorV3Activity>().RunAsync(new { computerName = "dc01" })).ShouldComplete<ActivateSensorV3Output>();

        output.CandidateId.Should().Be("c0633ebb-8cfb-f17a-0b9e-83aa661f53a3");
        output.AlreadyActive.Should().BeFalse();
        output.Note.Should().Contain("up to an hour");
        var post = Graph.Requests.Single(r => r.PathAndQuery == Activate);
        post.Method.Should().Be("POST");
        post.Body.Should().Be("""{"serverIds":["c0633ebb-8cfb-f17a-0b9e-83aa661f53a3"]}""");
    }

    [Fact]
    public async Task A_server_already_listed_as_a_sensor_is_not_activated_again()
    {
        Graph.On(Sensors, Answer.Json(GraphJson.Sensors(GraphJson.Sensor("DC01", version: "3.0.1012.12345"))));

        var output = (await Activity<ActivateSensorV3Activity>().RunAsync(new { computerName = "DC01" })).ShouldComplete<ActivateSensorV3Output>();

        output.AlreadyActive.Should().BeTrue();
        Graph.Requests.Should().NotContain(r => r.PathAndQuery == Activate || r.PathAndQuery == Candidates);
    }

    [Fact]
    public async Task A_server_that_is_no_candidate_fails_with_what_v3_needs()
    {
        Graph.On(Sensors, Answer.Json(GraphJson.Sensors()))
            .On(Candidates, Answer.Json(GraphJson.SensorCandidates(("a1", "dc02.contoso.com"))));

        var error = (await Activity<ActivateSensorV3Activity>().RunAsync(new { computerName = "DC01" })).ShouldFail("mdi.notSensorCandidate");

        error.Message.Should().Contain("dc02.contoso.com");
        error.Fix.Should().Contain("March 2026 cumulative update").And.Contain("Defender for Endpoint").And.Contain("v2.x sensor");
        Graph.Requests.Should().NotContain(r => r.PathAndQuery == Activate);
    }

    [Fact]
    public async Task A_refused_activation_names_the_permission_and_the_unified_rbac_alternative()
    {
        Graph.On(Sensors, Answer.Json(GraphJson.Sensors()))
            .On(Candidates, Answer.Json(GraphJson.SensorCandidates(("c0", "dc01.contoso.com"))))
            .On(Activate, Answer.GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));

        var error = (await Activity<ActivateSensorV3Activity>().RunAsync(new { computerName = "DC01" })).ShouldFail("graph.accessDenied");

        error.Message.Should().Contain("SecurityIdentitiesSensors.ReadWrite.All");
        error.Fix.Should().Contain("Unified RBAC");
    }
}
