using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Commands;

/// <summary>OTLP export from a real <c>mdiflow</c> process to a loopback collector that answers as the OTLP/HTTP protocol does.</summary>
[Collection(CliCollection.Name)]
public sealed class TelemetryExportTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task With_OTEL_EXPORTER_OTLP_ENDPOINT_set_a_run_exports_its_spans_and_metrics()
    {
        var port = FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new ConcurrentQueue<(string Path, string ContentType, byte[] Body)>();
        var serving = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType ?? "", body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close(); // an empty Export*ServiceResponse: everything accepted
            }
        });
        var workflow = _ws.Write("w.json", """{ "id": "exported", "steps": [ { "id": "hello", "uses": "process.run", "with": { "file": "true" } } ] }""");
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };

        var run = cli.Mdiflow(_ws.Root, environment, "run", workflow, "--store", _ws.Store);
        collector.Stop();
        await serving;

        run.ExitCode.Should().Be(0, run.ToString());
        var traces = received.Where(r => r.Path == "/v1/traces").Select(r => Encoding.UTF8.GetString(r.Body)).ToList();
        traces.Should().ContainSingle(t => t.Contains("run exported", StringComparison.Ordinal) && t.Contains("step hello", StringComparison.Ordinal) && t.Contains("mdiflow.instance", StringComparison.Ordinal));
        received.Where(r => r.Path == "/v1/metrics").Select(r => Encoding.UTF8.GetString(r.Body)).Should().Contain(m => m.Contains("mdiflow.runs", StringComparison.Ordinal) && m.Contains("mdiflow.step.duration", StringComparison.Ordinal));
        received.Should().OnlyContain(r => r.ContentType == "application/x-protobuf");
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
