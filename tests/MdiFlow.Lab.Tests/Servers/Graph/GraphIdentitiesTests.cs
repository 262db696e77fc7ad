using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Lab.Servers;
using MdiFlow.Lab.Tests.Support;

namespace MdiFlow.Lab.Tests.Servers.Graph;

public sealed class GraphIdentitiesTests
{
    [Fact]
    public async Task GetDeploymentAccessKey_answers_in_the_value_shape_of_the_v1_example_when_the_profile_says_so()
    {
        await using var test = await TestLab.StartAsync("access-key-value-shape");

        var (status, body, _) = await test.Graph().GetJsonAsync("v1.0/security/identities/sensors/getDeploymentAccessKey");

        status.Should().Be(200);
        body.Keys().Should().Equal("value");
        body["value"].Keys().Should().Equal("@odata.type", "sensorDeploymentAccessKey");
        body["value"]!["sensorDeploymentAccessKey"]!.GetValue<string>().Should().Be(test.Lab.Profile.Tenant.DeploymentAccessKey);
    }

    [Fact]
    public async Task GetDeploymentPackageUri_answers_a_download_url_and_version_under_value_and_the_package_host_serves_it_without_a_token()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");

        var (status, body, _) = await test.Graph().GetJsonAsync("v1.0/security/identities/sensors/getDeploymentPackageUri");
        var url = body["value"]!["downloadUrl"]!.GetValue<string>();
        using var plain = new HttpClient();
        using var package = await plain.GetAsync(url);
        using var withToken = new HttpRequestMessage(HttpMethod.Get, url);
        withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "mdiflow-lab.token");
        using var refused = await plain.SendAsync(withToken);

        status.Should().Be(200);
        body["value"].Keys().Should().Equal("@odata.type", "downloadUrl", "version");
        body["value"]!["version"]!.GetValue<string>().Should().Be(test.Lab.Profile.Installer.SensorVersion);
        url.Should().Be(test.Lab.PackageDownloadUrl.ToString());
        ((int)package.StatusCode).Should().Be(200);
        (await package.Content.ReadAsByteArrayAsync()).Take(2).Should().Equal((byte)'P', (byte)'K');
        ((int)refused.StatusCode).Should().Be(403);
    }

    [Fact]
    public async Task An_expired_package_link_is_refused_with_a_storage_error_before_the_package_is_served()
    {
        await using var test = await TestLab.StartAsync("package-link-expired");
        using var plain = new HttpClient();

        using var first = await plain.GetAsync(test.Lab.PackageDownloadUrl);
        using var second = await plain.GetAsync(test.Lab.PackageDownloadUrl);

        ((int)first.StatusCode).Should().Be(403);
        (await first.Content.ReadAsStringAsync()).Should().Contain("<Code>AuthenticationFailed</Code>");
        ((int)second.StatusCode).Should().Be(200);
        test.Lab.Requests.Where(r => r.Server == LabServer.Package).Select(r => r.Status).Should().Equal(403, 200);
    }

    [Fact]
    public async Task The_sensors_list_is_empty_until_a_sensor_is_installed_and_then_shows_its_health_in_graphs_shape()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var graph = test.Graph();

        var (_, before, _) = await graph.GetJsonAsync("v1.0/security/identities/sensors");
        var (setup, key) = test.Prepare();
        (await test.RunSetupAsync(setup, "/quiet", "AccessKeyFile=" + key)).Should().Be(0);
        var (status, after, _) = await graph.GetJsonAsync("v1.0/security/identities/sensors");

        before["value"]!.AsArray().Should().BeEmpty();
        status.Should().Be(200);
        var sensor = after["value"]!.AsArray().Should().ContainSingle().Subject!;
        sensor.Keys().Should().Equal("@odata.type", "id", "displayName", "sensorType", "version", "deploymentStatus", "createdDateTime", "domainName", "healthStatus", "openHealthIssuesCount", "settings");
        sensor["displayName"]!.GetValue<string>().Should().Be("DC01");
        sensor["sensorType"]!.GetValue<string>().Should().Be("domainControllerIntegrated");
        sensor["healthStatus"]!.GetValue<string>().Should().Be("healthy");
        sensor["deploymentStatus"]!.GetValue<string>().Should().Be("upToDate");
        sensor["settings"]!["domainControllerDnsNames"]![0]!.GetValue<string>().Should().Be("DC01.contoso.com");
    }

    [Fact]
    public async Task Activating_a_candidate_answers_200_with_no_body_and_moves_it_to_the_sensors_list()
    {
        await using var test = await TestLab.StartAsync("sensor-v3-dc");
        var graph = test.Graph();

        var (_, candidates, _) = await graph.GetJsonAsync("v1.0/security/identities/sensorCandidates");
        using var activated = await graph.PostAsync("v1.0/security/identities/sensorCandidates/activate", Json("""{ "serverIds": ["c0633ebb-8cfb-f17a-0b9e-83aa661f53a3"] }"""));
        var (_, remaining, _) = await graph.GetJsonAsync("v1.0/security/identities/sensorCandidates");
        var (_, sensors, _) = await graph.GetJsonAsync("v1.0/security/identities/sensors");

        candidates["value"]!.AsArray().Select(c => c!["computerDnsName"]!.GetValue<string>()).Should().Equal("DC01.contoso.com", "DC02.contoso.com");
        candidates["value"]![0].Keys().Should().Equal("@odata.type", "id", "computerDnsName", "senseClientVersion", "lastSeenDateTime", "domainName");
        ((int)activated.StatusCode).Should().Be(200);
        (await activated.Content.ReadAsStringAsync()).Should().BeEmpty();
        remaining["value"]!.AsArray().Select(c => c!["computerDnsName"]!.GetValue<string>()).Should().Equal("DC02.contoso.com");
        sensors["value"]!.AsArray().Should().ContainSingle().Which!["version"]!.GetValue<string>().Should().Be("3.0.1012.12345");
        test.Lab.InstallCount.Should().Be(0);
    }

    [Theory]
    [InlineData("""{ "serverIds": [] }""", 400, "BadRequest")]
    [InlineData("""{ "servers": ["c0633ebb-8cfb-f17a-0b9e-83aa661f53a3"] }""", 400, "BadRequest")]
    [InlineData("""{ "serverIds": ["00000000-0000-0000-0000-000000000000"] }""", 404, "ResourceNotFound")]
    [InlineData("not json", 400, "BadRequest")]
    public async Task Activate_refuses_a_body_without_known_server_ids_with_graphs_error_body(string body, int status, string code)
    {
        await using var test = await TestLab.StartAsync("sensor-v3-dc");

        using var response = await test.Graph().PostAsync("v1.0/security/identities/sensorCandidates/activate", Json(body));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        ((int)response.StatusCode).Should().Be(status);
        error["code"]!.GetValue<string>().Should().Be(code);
        error["innerError"]!["request-id"].Should().NotBeNull();
    }

    [Fact]
    public async Task SubscribedSkus_accepts_LicenseAssignment_Read_All_alone_its_least_privileged_permission()
    {
        await using var test = await TestLab.StartAsync("healthy-dc", p => p["tenant"]!["grantedPermissions"] = new JsonArray("LicenseAssignment.Read.All"));

        var (status, body, _) = await test.Graph().GetJsonAsync("v1.0/subscribedSkus");

        status.Should().Be(200);
        body["value"]!.AsArray().Should().ContainSingle();
    }

    [Theory]
    [InlineData("GET", "v1.0/security/identities/sensors")]
    [InlineData("GET", "v1.0/security/identities/sensors/getDeploymentPackageUri")]
    [InlineData("GET", "v1.0/security/identities/sensorCandidates")]
    [InlineData("POST", "v1.0/security/identities/sensorCandidates/activate")]
    public async Task The_identities_routes_need_their_documented_permissions(string method, string path)
    {
        await using var test = await TestLab.StartAsync("sensor-v3-dc", p => p["tenant"]!["grantedPermissions"] = new JsonArray("User.Read", "LicenseAssignment.Read.All"));

        using var response = method == "GET"
            ? await test.Graph().GetAsync(path)
            : await test.Graph().PostAsync(path, Json("""{ "serverIds": ["c0633ebb-8cfb-f17a-0b9e-83aa661f53a3"] }"""));

        ((int)response.StatusCode).Should().Be(403);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
