using System.Net;
using System.Net.Sockets;
using System.Text;
using MdiFlow.Lab.Servers;
using MdiFlow.Lab.Tests.Support;

namespace MdiFlow.Lab.Tests.Servers;

public sealed class SensorApiAndProxyTests
{
    private const string ProxyUser = "svc-mdiproxy";
    private const string ProxyPassword = "Lab-Proxy-Passw0rd";

    [Fact]
    public async Task The_ping_answers_Ok_on_a_healthy_network()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        using var client = new HttpClient();

        var response = await client.GetAsync(test.Lab.SensorApiPingUrl);

        ((int)response.StatusCode).Should().Be(200);
        (await response.Content.ReadAsStringAsync()).Should().Be("Ok");
        test.Lab.SensorApiUrlTemplate.Should().EndWith("/{workspace}/tri/sensor/api/ping");
        test.Lab.Requests.Should().ContainSingle().Which.Should().Match<LabRequest>(r =>
            r.Server == LabServer.SensorApi && r.Method == "GET" && r.Target == "/contoso-corp/tri/sensor/api/ping" && !r.ViaProxy && r.Status == 200);
    }

    [Fact]
    public async Task An_older_workspace_answers_503_The_service_is_unavailable_and_an_unknown_one_404()
    {
        await using var test = await TestLab.StartAsync("healthy-dc", p => p["connectivity"]!["sensorApiAnswer"] = "unavailable");
        using var client = new HttpClient();

        var response = await client.GetAsync(test.Lab.SensorApiPingUrl);
        var unknown = await client.GetAsync(test.Lab.SensorApiUrlTemplate.Replace("{workspace}", "fabrikam", StringComparison.Ordinal));

        ((int)response.StatusCode).Should().Be(503);
        (await response.Content.ReadAsStringAsync()).Should().Be("The service is unavailable");
        ((int)unknown.StatusCode).Should().Be(404);
    }

    [Fact]
    public async Task Proxy_required_resets_a_direct_ping_as_a_firewall_would()
    {
        await using var test = await TestLab.StartAsync("proxy-required");
        using var client = new HttpClient();

        var act = () => client.GetAsync(test.Lab.SensorApiPingUrl);

        await act.Should().ThrowAsync<HttpRequestException>().WithInnerException(typeof(IOException));
        test.Lab.Requests.Should().ContainSingle().Which.Should().Match<LabRequest>(r => r.Server == LabServer.SensorApi && r.Dropped && !r.ViaProxy);
    }

    [Fact]
    public async Task The_proxy_demands_Basic_credentials_with_a_407_challenge()
    {
        await using var test = await TestLab.StartAsync("proxy-required");
        using var client = ThroughProxy(test, credentials: null);

        var response = await client.GetAsync(test.Lab.SensorApiPingUrl);

        ((int)response.StatusCode).Should().Be(407);
        response.Headers.ProxyAuthenticate.Should().ContainSingle().Which.ToString().Should().Be("Basic realm=\"MdiFlow lab proxy\"");
        test.Lab.Requests.Should().ContainSingle().Which.Should().Match<LabRequest>(r =>
            r.Server == LabServer.Proxy && r.Method == "GET" && r.Target == test.Lab.SensorApiPingUrl.ToString() && r.Status == 407);
    }

    [Fact]
    public async Task With_credentials_the_proxy_forwards_and_the_sensor_api_sees_a_proxied_request()
    {
        await using var test = await TestLab.StartAsync("proxy-required");
        using var client = ThroughProxy(test, new NetworkCredential(ProxyUser, ProxyPassword));

        var response = await client.GetAsync(test.Lab.SensorApiPingUrl);

        ((int)response.StatusCode).Should().Be(200);
        (await response.Content.ReadAsStringAsync()).Should().Be("Ok");
        test.Lab.Requests.Select(r => (r.Server, r.Status, r.ViaProxy)).Should().Equal(
            (LabServer.Proxy, 407, false), (LabServer.SensorApi, 200, true), (LabServer.Proxy, 200, false));
    }

    [Fact]
    public async Task The_proxy_tunnels_CONNECT_to_the_sensor_api()
    {
        await using var test = await TestLab.StartAsync("proxy-required");
        var ping = test.Lab.SensorApiPingUrl;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, test.Lab.ProxyAddress.Port);
        var stream = tcp.GetStream();
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ProxyUser}:{ProxyPassword}"));

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT 127.0.0.1:{ping.Port} HTTP/1.1\r\nHost: 127.0.0.1:{ping.Port}\r\nProxy-Authorization: Basic {basic}\r\n\r\n"));
        var established = await ReadHeadAsync(stream);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {ping.PathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{ping.Port}\r\nConnection: close\r\n\r\n"));
        var answer = await new StreamReader(stream).ReadToEndAsync();

        established.Should().StartWith("HTTP/1.1 200 Connection established");
        answer.Should().StartWith("HTTP/1.1 200").And.EndWith("Ok");
        test.Lab.Requests.Select(r => (r.Server, r.Method, r.Status, r.ViaProxy)).Should().Equal(
            (LabServer.Proxy, "CONNECT", 200, false), (LabServer.SensorApi, "GET", 200, true));
    }

    [Fact]
    public async Task A_proxy_that_denies_the_sensor_api_answers_403()
    {
        await using var test = await TestLab.StartAsync("proxy-denies-sensor-api");
        using var client = ThroughProxy(test, credentials: null);

        var response = await client.GetAsync(test.Lab.SensorApiPingUrl);

        ((int)response.StatusCode).Should().Be(403);
        test.Lab.Requests.Should().ContainSingle().Which.Server.Should().Be(LabServer.Proxy);
    }

    [Fact]
    public async Task The_proxy_forwards_only_to_the_labs_own_servers()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        using var client = ThroughProxy(test, credentials: null);

        var response = await client.GetAsync($"http://127.0.0.1:{test.Lab.ProxyAddress.Port}/elsewhere");
        var graph = await client.GetAsync(new Uri(test.Lab.GraphBaseAddress, "v1.0/me"));

        ((int)response.StatusCode).Should().Be(502);
        ((int)graph.StatusCode).Should().Be(401);
        test.Lab.Requests.Should().Contain(r => r.Server == LabServer.Graph && r.ViaProxy);
    }

    [Fact]
    public async Task A_flaky_network_resets_the_first_connections_then_answers()
    {
        await using var test = await TestLab.StartAsync("flaky-network");
        using var client = new HttpClient();

        var first = () => client.GetAsync(test.Lab.SensorApiPingUrl);
        await first.Should().ThrowAsync<HttpRequestException>();
        await first.Should().ThrowAsync<HttpRequestException>();
        var third = await client.GetAsync(test.Lab.SensorApiPingUrl);

        ((int)third.StatusCode).Should().Be(200);
        test.Lab.Requests.Select(r => r.Dropped).Should().Equal(true, true, false);
    }

    private static HttpClient ThroughProxy(TestLab test, NetworkCredential? credentials) =>
        new(new SocketsHttpHandler { UseProxy = true, Proxy = new WebProxy(test.Lab.ProxyAddress) { Credentials = credentials } });

    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer) == 1)
        {
            head.Append((char)buffer[0]);
        }

        return head.ToString();
    }
}
