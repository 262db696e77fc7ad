using System.Text.Json.Nodes;
using MdiFlow.Benchmarks.Harness;

namespace MdiFlow.Benchmarks.Tests;

/// <summary>
/// Runs the several-hosts workload with <c>--quick</c> on a real server and real worker processes, so that it cannot
/// rot: both latencies (NOTIFY and polling alone) and both throughputs (one worker process, two) are produced.
/// </summary>
public sealed class HostsWorkloadSmokeTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mdiflow-bench-hosts-smoke-" + Guid.NewGuid().ToString("n")[..8]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_quick_hosts_run_produces_the_cross_process_latencies_and_both_throughputs()
    {
        var json = Path.Combine(_directory, "summary.json");
        var output = new StringWriter();
        string[] server = Environment.GetEnvironmentVariable("MDIFLOW_TEST_POSTGRES") is { Length: > 0 } given ? ["--postgres", given] : [];

        var exit = await BenchmarkHarness.RunAsync(["--quick", "--only", "hosts", .. server, "--json", json, "--work", Path.Combine(_directory, "work")], output, CancellationToken.None);

        exit.Should().Be(0, output.ToString());
        var figures = JsonNode.Parse(await File.ReadAllTextAsync(json))!["figures"]!.AsArray().Select(f => f!.AsObject())
            .Where(f => f["workload"]!.GetValue<string>() == "g several hosts (PostgreSQL)").ToList();
        figures.Select(f => f["metric"]!.GetValue<string>()).Should().Equal(
            "approval -> next step on another process, p50, NOTIFY",
            "approval -> next step on another process, p99, NOTIFY",
            "approval -> next step on another process, p50, polling alone (1 s)",
            "approval -> next step on another process, p99, polling alone (1 s)",
            "instances/s, one worker process",
            "instances/s, two worker processes (DC01, DC02)");
        figures.Should().OnlyContain(f => f["mdiflow"]!.GetValue<double>() > 0);
        figures[0]["target"]!.GetValue<string>().Should().Be("<= 50 ms");
        output.ToString().Should().NotContain("Password=");
    }
}
