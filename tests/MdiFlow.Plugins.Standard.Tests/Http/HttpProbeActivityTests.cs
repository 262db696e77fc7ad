using MdiFlow.Plugins.Standard.Http;
using MdiFlow.Plugins.Standard.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Plugins.Standard.Tests.Http;

public sealed class HttpProbeActivityTests
{
    private readonly HttpProbeActivity _activity = new();

    [Fact]
    public async Task A_200_completes_with_the_status_and_latency()
    {
        await using var server = LoopbackHttpServer.Answering(200, "OK");

        var output = (await _activity.RunAsync(new HttpProbeInput { Url = server.Url + "health" })).ShouldComplete<HttpProbeOutput>();

        output.Status.Should().Be(200);
        output.LatencyMs.Should().BeGreaterThanOrEqualTo(0);
        (await server.FirstRequestLine).Should().Be("GET /health HTTP/1.1");
    }

    [Fact]
    public async Task Measures_latency_on_the_engine_clock()
    {
        var time = new FakeTimeProvider();
        await using var server = LoopbackHttpServer.Answering(204, "No Content");

        var output = (await _activity.RunAsync(new HttpProbeInput { Url = server.Url }, time)).ShouldComplete<HttpProbeOutput>();

        output.Should().Be(new HttpProbeOutput { Status = 204, LatencyMs = 0 });
    }

    [Fact]
    public async Task A_503_fails_with_http_status_and_is_retryable()
    {
        await using var server = LoopbackHttpServer.Answering(503, "Service Unavailable");

        var error = (await _activity.RunAsync(new HttpProbeInput { Url = server.Url })).ShouldFail("http.status");

        error.Message.Should().Be($"The probe of {server.Url} got the status 503 Service Unavailable; the step expects any 2xx.");
        error.Permanent.Should().BeFalse();
        error.Details.Should().Contain("status", "503");
    }

    [Fact]
    public async Task A_404_fails_with_http_status_that_a_retry_may_fix()
    {
        await using var server = LoopbackHttpServer.Answering(404, "Not Found");

        var error = (await _activity.RunAsync(new HttpProbeInput { Url = server.Url })).ShouldFail("http.status");

        error.Permanent.Should().BeFalse();
        error.Fix.Should().Contain("expectStatus");
    }

    [Fact]
    public async Task An_expected_status_completes_even_when_it_is_an_error()
    {
        await using var server = LoopbackHttpServer.Answering(503, "Service Unavailable");

        var output = (await _activity.RunAsync(new HttpProbeInput { Url = server.Url, ExpectStatus = [503] })).ShouldComplete<HttpProbeOutput>();

        output.Status.Should().Be(503);
    }

    [Fact]
    public async Task A_200_outside_the_expected_statuses_fails()
    {
        await using var server = LoopbackHttpServer.Answering(200, "OK");

        var error = (await _activity.RunAsync(new HttpProbeInput { Url = server.Url, ExpectStatus = [401, 403] })).ShouldFail("http.status");

        error.Message.Should().EndWith("got the status 200 OK; the step expects 401, 403.");
    }

    [Fact]
    public async Task Redirects_are_reported_not_followed()
    {
        await using var server = LoopbackHttpServer.Answering(302, "Found", "Location: https://login.example/?token=secret\r\n");

        var error = (await _activity.RunAsync(new HttpProbeInput { Url = server.Url })).ShouldFail("http.status");

        error.Message.Should().Be($"The probe of {server.Url} got the status 302 Found (a redirect to https://login.example/, not followed); the step expects any 2xx.");
    }

    [Fact]
    public async Task A_closed_port_fails_with_http_connect()
    {
        var url = $"http://127.0.0.1:{LoopbackHttpServer.ClosedPort()}/";

        var error = (await _activity.RunAsync(new HttpProbeInput { Url = url })).ShouldFail("http.connect");

        error.Message.Should().StartWith($"The probe of {url} failed to connect: ");
        error.Permanent.Should().BeFalse();
        error.Details.Should().Contain("error", "ConnectionError");
    }

    [Fact]
    public async Task A_host_name_that_does_not_resolve_fails_with_http_dns()
    {
        var result = await _activity.RunAsync(new HttpProbeInput { Url = "http://mdiflow-probe.invalid/", Timeout = "PT10S" });

        result.ShouldFail("http.dns").Message.Should().StartWith("The probe of http://mdiflow-probe.invalid/ failed: a host name does not resolve");
    }

    [Fact]
    public async Task A_server_that_does_not_speak_TLS_fails_with_http_tls()
    {
        await using var server = LoopbackHttpServer.Answering(200, "OK");
        var url = $"https://127.0.0.1:{server.Port}/";

        var error = (await _activity.RunAsync(new HttpProbeInput { Url = url })).ShouldFail("http.tls");

        error.Message.Should().StartWith($"The probe of {url} reached the server but could not set up TLS");
    }

    [Fact]
    public async Task Goes_through_the_proxy_and_reports_a_407_as_http_proxyAuth()
    {
        await using var proxy = LoopbackHttpServer.Answering(407, "Proxy Authentication Required");

        var error = (await _activity.RunAsync(new HttpProbeInput { Url = "http://api.example/health", ProxyUrl = proxy.Url })).ShouldFail("http.proxyAuth");

        (await proxy.FirstRequestLine).Should().Be("GET http://api.example/health HTTP/1.1");
        error.Message.Should().Be($"The proxy {proxy.Url} asked for authentication (407) before letting the probe of http://api.example/health through.");
        error.Permanent.Should().BeTrue();
    }

    [Fact]
    public async Task A_407_to_a_tunnel_for_https_is_http_proxyAuth_too_and_hides_the_proxy_password()
    {
        await using var proxy = LoopbackHttpServer.Answering(407, "Proxy Authentication Required");
        var proxyUrl = $"http://svc-mdi:p%40ss@127.0.0.1:{proxy.Port}/";

        var error = (await _activity.RunAsync(new HttpProbeInput { Url = "https://api.example/", ProxyUrl = proxyUrl })).ShouldFail("http.proxyAuth");

        (await proxy.FirstRequestLine).Should().Be("CONNECT api.example:443 HTTP/1.1");
        error.Message.Should().Contain($"The proxy http://127.0.0.1:{proxy.Port}/ asked for authentication");
        error.Message.Should().NotContain("p%40ss").And.NotContain("svc-mdi");
    }

    [Fact]
    public async Task No_response_within_the_timeout_fails_with_http_timeout_and_is_retryable()
    {
        var time = new FakeTimeProvider();
        await using var server = LoopbackHttpServer.Silent();

        var run = _activity.RunAsync(new HttpProbeInput { Url = server.Url, Timeout = "PT5S" }, time).AsTask();
        await server.FirstRequestLine;
        time.Advance(TimeSpan.FromSeconds(5));

        var error = (await run).ShouldFail("http.timeout");
        error.Message.Should().Be($"The probe of {server.Url} got no response within PT5S.");
        error.Permanent.Should().BeFalse();
    }

    [Fact]
    public async Task The_default_timeout_is_30_seconds()
    {
        var time = new FakeTimeProvider();
        await using var server = LoopbackHttpServer.Silent();

        var run = _activity.RunAsync(new HttpProbeInput { Url = server.Url }, time).AsTask();
        await server.FirstRequestLine;
        time.Advance(TimeSpan.FromSeconds(29));
        run.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(1));

        (await run).ShouldFail("http.timeout").Message.Should().EndWith("got no response within 30 seconds.");
    }

    [Fact]
    public async Task Cancellation_propagates()
    {
        await using var server = LoopbackHttpServer.Silent();
        using var cancel = new CancellationTokenSource();

        var run = _activity.RunAsync(new HttpProbeInput { Url = server.Url }, cancellationToken: cancel.Token).AsTask();
        await server.FirstRequestLine;
        await cancel.CancelAsync();

        await run.Invoking(r => r).Should().ThrowAsync<OperationCanceledException>();
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://files.example/")]
    [InlineData("/relative/path")]
    public async Task A_url_that_is_not_absolute_http_is_an_invalid_input(string url)
    {
        var error = (await _activity.RunAsync(new HttpProbeInput { Url = url })).ShouldFail("activity.invalidInput");

        error.Message.Should().Be($"The input of step 'step' is not usable: 'url' is \"{url}\", which is not an absolute http or https URL.");
    }

    [Fact]
    public async Task A_bad_proxy_url_is_an_invalid_input()
    {
        (await _activity.RunAsync(new HttpProbeInput { Url = "http://example/", ProxyUrl = "proxy:8080" })).ShouldFail("activity.invalidInput");
    }
}
