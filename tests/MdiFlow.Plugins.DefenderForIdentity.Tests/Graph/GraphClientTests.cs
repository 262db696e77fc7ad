using MdiFlow.Plugins.DefenderForIdentity.Graph;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Graph;

public sealed class GraphClientTests : IAsyncLifetime
{
    private readonly ObservedTime _time = new();
    private readonly FakeTokenCredential _credential = new();
    private GraphServer _server = null!;
    private ServiceProvider _services = null!;

    private GraphClient Client => _services.GetRequiredService<GraphClient>();

    public Task InitializeAsync()
    {
        _server = new GraphServer(_time);
        _services = PluginServices.Build(_server.BaseAddress, _time, _credential);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Reads_subscribed_skus_with_a_bearer_token_for_the_graph_scope()
    {
        _server.On("/v1.0/subscribedSkus", Answer.Json(GraphJson.SubscribedSkus(GraphJson.Sku("EMSPREMIUM"))));

        var result = await Client.SubscribedSkusAsync(CancellationToken.None);

        result.TryGetValue(out var skus, out _).Should().BeTrue();
        skus!.Should().ContainSingle().Which.SkuPartNumber.Should().Be("EMSPREMIUM");
        skus[0].ServicePlans.Should().Contain(p => p.ServicePlanName == "ATA" && p.ProvisioningStatus == "Success");
        skus[0].PrepaidUnits!.Enabled.Should().Be(25);
        _server.Requests.Should().ContainSingle().Which.Authorization.Should().Be("Bearer " + FakeTokenCredential.Token);
        _credential.Scopes.Should().Equal($"http://127.0.0.1:{_server.Port}/.default");
    }

    [Fact]
    public async Task Follows_odata_next_links_until_the_last_page()
    {
        var next = $"{_server.BaseAddress}v1.0/subscribedSkus?$skiptoken=page2";
        _server
            .On("/v1.0/subscribedSkus", Answer.Json($$"""{ "value": [ {{GraphJson.Sku("SPE_E3", withAta: false)}} ], "@odata.nextLink": "{{next}}" }"""))
            .On("/v1.0/subscribedSkus?$skiptoken=page2", Answer.Json(GraphJson.SubscribedSkus(GraphJson.Sku("SPE_E5"))));

        var result = await Client.SubscribedSkusAsync(CancellationToken.None);

        result.TryGetValue(out var skus, out _).Should().BeTrue();
        skus!.Select(s => s.SkuPartNumber).Should().Equal("SPE_E3", "SPE_E5");
        _server.Requests.Select(r => r.PathAndQuery).Should().Equal("/v1.0/subscribedSkus", "/v1.0/subscribedSkus?$skiptoken=page2");
    }

    [Fact]
    public async Task A_next_link_to_another_host_is_refused_and_gets_no_token()
    {
        _server.On("/v1.0/subscribedSkus", Answer.Json("""{ "value": [], "@odata.nextLink": "https://attacker.example/v1.0/subscribedSkus?$skiptoken=x" }"""));

        var result = await Client.SubscribedSkusAsync(CancellationToken.None);

        result.Error!.Code.Should().Be("graph.unexpectedResponse");
        result.Error.Message.Should().Contain("@odata.nextLink does not point at the configured Graph address");
        _server.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_429_is_retried_after_waiting_at_least_its_retry_after()
    {
        _server.On(
            "/v1.0/subscribedSkus",
            Answer.GraphError(429, "TooManyRequests", "Too many requests.", new Dictionary<string, string> { ["Retry-After"] = "7" }),
            Answer.Json(GraphJson.SubscribedSkus(GraphJson.Sku("EMSPREMIUM"))));

        var call = Client.SubscribedSkusAsync(CancellationToken.None);
        var delay = await _time.NextDelayAsync(shorterThan: TimeSpan.FromSeconds(20));
        delay.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(7));
        _time.Fake.Advance(delay);
        var result = await call;

        result.TryGetValue(out _, out _).Should().BeTrue();
        _server.Requests.Should().HaveCount(2);
        (_server.Requests[1].At - _server.Requests[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task A_503_with_retry_after_is_retried_too()
    {
        _server.On(
            "/v1.0/me",
            Answer.GraphError(503, "serviceNotAvailable", "Service unavailable.", new Dictionary<string, string> { ["Retry-After"] = "3" }),
            Answer.Json(GraphJson.Me));

        var call = Client.MeAsync(CancellationToken.None);
        var delays = await _time.DriveAsync(call, shorterThan: TimeSpan.FromSeconds(20));

        delays.Should().ContainSingle().Which.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(3));
        (await call).TryGetValue(out var me, out _).Should().BeTrue();
        me!.Id.Should().Be("87d349ed-44d7-43e1-9a83-5f2406dee5bd");
    }

    [Fact]
    public async Task A_lasting_server_error_fails_retryably_after_the_retries()
    {
        _server.On("/v1.0/subscribedSkus", Answer.GraphError(500, "generalException", "An unexpected error occurred."));

        var call = Client.SubscribedSkusAsync(CancellationToken.None);
        await _time.DriveAsync(call, shorterThan: TimeSpan.FromSeconds(29));
        var result = await call;

        result.Error!.Code.Should().Be("graph.unavailable");
        result.Error.Permanent.Should().BeFalse();
        _server.Requests.Should().HaveCount(5, because: "the first attempt and four retries");
    }

    [Fact]
    public async Task A_401_with_a_graph_error_body_names_the_permission_the_call_needs()
    {
        _server.On("/v1.0/subscribedSkus", Answer.GraphError(401, "InvalidAuthenticationToken", "Access token validation failure."));

        var result = await Client.SubscribedSkusAsync(CancellationToken.None);

        var error = result.Error!;
        error.Code.Should().Be("graph.accessDenied");
        error.Message.Should().Be("Microsoft Graph refused GET v1.0/subscribedSkus (401 InvalidAuthenticationToken: Access token validation failure). That call needs the permission LicenseAssignment.Read.All (the least privileged; Organization.Read.All or Directory.Read.All also allow it), which the token MdiFlow used does not carry.");
        error.Fix.Should().Contain("LicenseAssignment.Read.All").And.Contain("delegated");
        error.Details!["requestId"].Should().Be("6f1e2b7c-0c55-4c43-9b4a-2b3f3f1d9a10");
        error.Permanent.Should().BeTrue();
    }

    [Fact]
    public async Task A_403_on_role_assignments_names_role_management_read_directory()
    {
        var filter = "/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '87d349ed-44d7-43e1-9a83-5f2406dee5bd'";
        _server.On(filter, Answer.GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));

        var result = await Client.RoleAssignmentsAsync("87d349ed-44d7-43e1-9a83-5f2406dee5bd", CancellationToken.None);

        result.Error!.Message.Should().Contain("RoleManagement.Read.Directory").And.Contain("403 Authorization_RequestDenied");
        _server.Requests.Single().PathAndQuery.Should().Be(filter);
    }

    [Fact]
    public async Task A_403_on_the_access_key_names_the_sensors_permission()
    {
        _server.On("/v1.0/security/identities/sensors/getDeploymentAccessKey", Answer.GraphError(403, "Forbidden", "Missing role permissions on the request."));

        var result = await Client.DeploymentAccessKeyAsync(CancellationToken.None);

        result.Error!.Message.Should().Contain("SecurityIdentitiesSensors.ReadWrite.All");
    }

    [Fact]
    public async Task Reads_the_deployment_access_key()
    {
        _server.On("/v1.0/security/identities/sensors/getDeploymentAccessKey", Answer.Json(GraphJson.AccessKey("S3ns0rK3y+Base64==")));

        var result = await Client.DeploymentAccessKeyAsync(CancellationToken.None);

        result.TryGetValue(out var key, out _).Should().BeTrue();
        key!.Key.Should().Be("S3ns0rK3y+Base64==");
        key.ToString().Should().NotContain("S3ns0rK3y");
    }

    [Fact]
    public async Task An_access_key_answer_in_another_shape_is_never_quoted_in_the_error()
    {
        _server.On("/v1.0/security/identities/sensors/getDeploymentAccessKey", Answer.Json("""{ "deploymentAccessKey": ["S3ns0rK3y+Base64=="] }"""));

        var result = await Client.DeploymentAccessKeyAsync(CancellationToken.None);

        result.Error!.Code.Should().Be("graph.unexpectedResponse");
        (result.Error.Message + result.Error.Fix + string.Join(" ", result.Error.Details?.Values ?? [])).Should().NotContain("S3ns0rK3y");
    }

    [Fact]
    public async Task Me_with_an_application_credential_explains_that_a_user_id_is_needed()
    {
        _server.On("/v1.0/me", Answer.GraphError(400, "BadRequest", "/me request is only valid with delegated authentication flow."));

        var result = await Client.MeAsync(CancellationToken.None);

        result.Error!.Code.Should().Be("graph.badRequest");
        result.Error.Message.Should().Contain("give 'userId' instead");
    }

    [Fact]
    public async Task An_unreachable_graph_is_a_retryable_failure()
    {
        await using var services = PluginServices.Build(new Uri($"http://127.0.0.1:{GraphServer.FreePort()}/"), _time, _credential);

        var call = services.GetRequiredService<GraphClient>().SubscribedSkusAsync(CancellationToken.None);
        await _time.DriveAsync(call, shorterThan: TimeSpan.FromSeconds(29));
        var result = await call;

        result.Error!.Code.Should().Be("graph.unreachable");
        result.Error.Permanent.Should().BeFalse();
    }
}
