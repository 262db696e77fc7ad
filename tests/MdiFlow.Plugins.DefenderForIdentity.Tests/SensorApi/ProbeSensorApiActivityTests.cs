using MdiFlow.Plugins.DefenderForIdentity.SensorApi;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.SensorApi;

public sealed class ProbeSensorApiActivityTests
{
    private const string Ping = "/contoso/tri/sensor/api/ping";

    private static ProbeSensorApiActivity Activity(string template, bool requireMicrosoftChain = false) =>
        new(Options.Create(new DefenderForIdentityOptions { SensorApiUrlTemplate = template, RequireMicrosoftCertificateChain = requireMicrosoftChain }));

    private static ProbeSensorApiActivity Loopback(GraphServer server) => Activity($"{server.BaseAddress}{{workspace}}/tri/sensor/api/ping");

    [Fact]
    public async Task An_ok_answer_proves_the_sensor_api_is_reachable()
    {
        await using var server = new GraphServer().On(Ping, new Answer(200, "Ok"));

        var output = (await Loopback(server).RunAsync(new { workspace = "contoso" })).ShouldComplete<ProbeSensorApiOutput>();

        output.Should().BeEquivalentTo(new { Url = $"{server.BaseAddress}contoso/tri/sensor/api/ping", Status = 200, ViaProxy = false, Note = (string?)null });
        output.LatencyMs.Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task A_version_answer_passes_with_the_version_noted()
    {
        await using var server = new GraphServer().On(Ping, new Answer(200, "2.239.18412.34145"));

        var output = (await Loopback(server).RunAsync(new { workspace = "contoso" })).ShouldComplete<ProbeSensorApiOutput>();

        output.Note.Should().Be("The sensor API answered with the version 2.239.18412.34145.");
    }

    [Fact]
    public async Task A_503_service_unavailable_still_proves_reachability_and_says_so()
    {
        await using var server = new GraphServer().On(Ping, new Answer(503, "The service is unavailable."));

        var output = (await Loopback(server).RunAsync(new { workspace = "contoso" })).ShouldComplete<ProbeSensorApiOutput>();

        output.Status.Should().Be(503);
        output.Note.Should().Contain("it still proves this server reaches the service");
    }

    [Fact]
    public async Task Another_503_is_a_retryable_status_failure()
    {
        await using var server = new GraphServer().On(Ping, new Answer(503, "<html>Maintenance</html>"));

        var error = (await Loopback(server).RunAsync(new { workspace = "contoso" })).ShouldFail("probe.status");

        error.Permanent.Should().BeFalse();
    }

    [Fact]
    public async Task A_proxy_asking_for_credentials_is_proxy_auth()
    {
        await using var proxy = RawHttpServer.Answering(_ => RawHttpServer.Response(407, "Proxy Authentication Required", headers: "Proxy-Authenticate: Basic realm=\"corp\"\r\n"));

        var error = (await Activity("http://{workspace}sensorapi.contoso.test/tri/sensor/api/ping").RunAsync(new { workspace = "contoso", proxyUrl = $"http://127.0.0.1:{proxy.Port}" })).ShouldFail("probe.proxyAuth");

        error.Fix.Should().Contain("proxyCredential").And.Contain("ProxyUserName and ProxyUserPassword");
    }

    [Fact]
    public async Task Proxy_credentials_come_from_the_reference_and_go_to_the_proxy()
    {
        Environment.SetEnvironmentVariable("MDIFLOW_TEST_PROXY_CREDENTIAL", "proxyuser:Pr0xy-Secret!");
        await using var proxy = RawHttpServer.Answering(head => head.Contains("Proxy-Authorization: Basic cHJveHl1c2VyOlByMHh5LVNlY3JldCE=", StringComparison.Ordinal)
            ? RawHttpServer.Response(200, "OK", "Ok")
            : RawHttpServer.Response(407, "Proxy Authentication Required", headers: "Proxy-Authenticate: Basic realm=\"corp\"\r\n"));

        var output = (await Activity("http://{workspace}sensorapi.contoso.test/tri/sensor/api/ping").RunAsync(new
        {
            workspace = "contoso",
            proxyUrl = $"http://127.0.0.1:{proxy.Port}",
            proxyCredential = "env:MDIFLOW_TEST_PROXY_CREDENTIAL",
        })).ShouldComplete<ProbeSensorApiOutput>();

        output.ViaProxy.Should().BeTrue();
        proxy.Requests[^1].Should().StartWith("GET http://contososensorapi.contoso.test/tri/sensor/api/ping HTTP/1.1");
    }

    [Fact]
    public async Task A_proxy_answering_403_is_the_known_licensing_issue_cause()
    {
        await using var proxy = RawHttpServer.Answering(_ => RawHttpServer.Response(403, "Forbidden", "Blocked by policy"));

        var error = (await Activity("http://{workspace}sensorapi.contoso.test/tri/sensor/api/ping").RunAsync(new { workspace = "contoso", proxyUrl = $"http://127.0.0.1:{proxy.Port}" })).ShouldFail("probe.proxyDenied");

        error.Message.Should().Contain($"The proxy http://127.0.0.1:{proxy.Port} answered 403").And.Contain("failed to register due to licensing issues");
    }

    [Fact]
    public async Task A_proxy_refusing_the_https_tunnel_with_401_is_proxy_denied_too()
    {
        await using var proxy = RawHttpServer.Answering(_ => RawHttpServer.Response(401, "Unauthorized"));

        var error = (await Activity("https://{workspace}sensorapi.atp.azure.com/tri/sensor/api/ping").RunAsync(new { workspace = "contoso", proxyUrl = $"http://127.0.0.1:{proxy.Port}" })).ShouldFail("probe.proxyDenied");

        proxy.Requests.Single().Should().StartWith("CONNECT contososensorapi.atp.azure.com:443 HTTP/1.1");
        error.Details!["status"].Should().Be("401");
    }

    [Fact]
    public async Task A_refused_connection_is_tcp()
    {
        var error = (await Activity($"http://127.0.0.1:{GraphServer.FreePort()}/{{workspace}}/tri/sensor/api/ping").RunAsync(new { workspace = "contoso" })).ShouldFail("probe.tcp");

        error.Fix.Should().Contain("TCP 443").And.Contain("*.atp.azure.com");
        error.Permanent.Should().BeFalse();
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_dns()
    {
        var error = (await Activity("http://{workspace}sensorapi.invalid/tri/sensor/api/ping").RunAsync(new { workspace = "contoso" })).ShouldFail("probe.dns");

        error.Fix.Should().Contain("contososensorapi.invalid");
    }

    [Fact]
    public async Task A_certificate_not_chained_to_a_microsoft_root_is_ssl_inspection()
    {
        await using var server = RawHttpServer.Tls(_ => RawHttpServer.Response(200, "OK", "Ok"));

        var error = (await Activity($"https://localhost:{server.Port}/{{workspace}}/tri/sensor/api/ping", requireMicrosoftChain: true).RunAsync(new { workspace = "contoso" })).ShouldFail("probe.sslInspection");

        error.Message.Should().Contain("ends in 'CN=Contoso Inspection CA', not in a Microsoft root");
        error.Fix.Should().Contain("exclude *.atp.azure.com from inspection");
    }

    [Fact]
    public async Task Without_the_microsoft_chain_requirement_an_untrusted_certificate_is_tls()
    {
        await using var server = RawHttpServer.Tls(_ => RawHttpServer.Response(200, "OK", "Ok"));

        var error = (await Activity($"https://localhost:{server.Port}/{{workspace}}/tri/sensor/api/ping").RunAsync(new { workspace = "contoso" })).ShouldFail("probe.tls");

        error.Fix.Should().Contain("DigiCert Global Root G2");
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_on_the_engine_clock()
    {
        var time = new FakeTimeProvider();
        await using var silent = RawHttpServer.Answering(_ => null);

        var run = Activity($"http://127.0.0.1:{silent.Port}/{{workspace}}/tri/sensor/api/ping").RunAsync(new { workspace = "contoso", timeout = "PT10S" }, time).AsTask();
        await silent.Accepted;
        time.Advance(TimeSpan.FromSeconds(10));

        var error = (await run).ShouldFail("probe.timeout");
        error.Message.Should().Be($"The sensor API http://127.0.0.1:{silent.Port}/contoso/tri/sensor/api/ping did not answer within 10 seconds.");
    }

    [Fact]
    public async Task A_credential_bound_from_a_secret_goes_to_the_proxy_and_never_into_the_failure()
    {
        await using var proxy = RawHttpServer.Answering(head => head.Contains("Proxy-Authorization: Basic cHJveHl1c2VyOlByMHh5LVNlY3JldCE=", StringComparison.Ordinal)
            ? RawHttpServer.Response(403, "Forbidden", "user proxyuser:Pr0xy-Secret! may not reach this site")
            : RawHttpServer.Response(407, "Proxy Authentication Required", headers: "Proxy-Authenticate: Basic realm=\"corp\"\r\n"));

        var error = (await Activity("http://{workspace}sensorapi.contoso.test/tri/sensor/api/ping").RunAsync(new
        {
            workspace = "contoso",
            proxyUrl = $"http://127.0.0.1:{proxy.Port}",
            proxyCredential = "proxyuser:Pr0xy-Secret!",
        })).ShouldFail("probe.proxyDenied");

        (error.Message + error.Fix + string.Join(" ", error.Details?.Values ?? [])).Should().NotContain("Pr0xy-Secret!");
    }

    [Fact]
    public async Task Absent_optional_inputs_bound_as_empty_strings_mean_direct()
    {
        await using var server = new GraphServer().On(Ping, new Answer(200, "Ok"));

        var output = (await Loopback(server).RunAsync(new { workspace = "contoso", proxyUrl = "", proxyCredential = "" })).ShouldComplete<ProbeSensorApiOutput>();

        output.ViaProxy.Should().BeFalse();
    }

    [Fact]
    public async Task A_credential_without_a_proxy_is_an_invalid_input()
    {
        var error = (await Activity("http://{workspace}sensorapi.contoso.test/x").RunAsync(new { workspace = "contoso", proxyCredential = "proxyuser:Pr0xy-Secret!" })).ShouldFail("activity.invalidInput");

        error.Message.Should().Be("The input of step 'step' is not usable: 'proxyCredential' is given without 'proxyUrl'.");
    }

    [Fact]
    public async Task A_workspace_that_is_not_a_host_name_label_is_refused()
    {
        var error = (await Activity("https://{workspace}sensorapi.atp.azure.com/tri/sensor/api/ping").RunAsync(new { workspace = "contoso.evil.example/" })).ShouldFail("activity.invalidInput");

        error.Message.Should().Contain("'workspace' is \"contoso.evil.example/\"");
    }
}
