using System.Text.Json.Nodes;
using MdiFlow.Benchmarks.Harness;

namespace MdiFlow.Benchmarks.Tests;

/// <summary>
/// Runs the PostgreSQL workload with <c>--quick</c> on a real server (the one <c>.ci/run</c> started, else a private one
/// the harness starts), so that it cannot rot: every figure is produced, with its limit and the target's verdict.
/// </summary>
public sealed class PostgresWorkloadSmokeTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mdiflow-bench-pg-smoke-" + Guid.NewGuid().ToString("n")[..8]);

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
    public async Task A_quick_postgres_run_produces_every_figure_beside_the_raw_commit_rate_of_the_same_server()
    {
        var json = Path.Combine(_directory, "summary.json");
        var output = new StringWriter();
        string[] server = Environment.GetEnvironmentVariable("MDIFLOW_TEST_POSTGRES") is { Length: > 0 } given ? ["--postgres", given] : [];
        var hostKey = File.Exists(Journal.JournalKeyProvider.SystemPath);

        var exit = await BenchmarkHarness.RunAsync(["--quick", "--only", "postgres", .. server, "--json", json, "--work", Path.Combine(_directory, "work")], output, CancellationToken.None);

        exit.Should().Be(0, output.ToString());
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(json))!.AsObject();
        var figures = summary["figures"]!.AsArray().Select(f => f!.AsObject()).ToList();
        figures.Select(f => f["metric"]!.GetValue<string>()).Should().Equal("transitions/s", "steps/s", "instances/s", "transitions per commit", "one instance alone: transitions/s");
        figures.Should().OnlyContain(f => f["workload"]!.GetValue<string>() == "f durable (PostgreSQL)");
        figures.Should().OnlyContain(f => f["mdiflow"]!.GetValue<double>() > 0);
        var transitions = figures[0];
        transitions["limit"]!.GetValue<double>().Should().BePositive();
        transitions["target"]!.GetValue<string>().Should().Be(">= 2.0x limit");
        transitions["met"].Should().NotBeNull();
        summary["settings"]!["postgres"]!.GetValue<string>().Should().Contain("fsync=on, synchronous_commit=on");
        output.ToString().Should().NotContain("Password=");
        File.Exists(Journal.JournalKeyProvider.SystemPath).Should().Be(hostKey, "the benchmark keys its store with a file of its own, never creating the host's key");
    }

    [Fact]
    public async Task The_postgres_workload_runs_only_when_asked_for()
    {
        HarnessOptions.Parse([]).Workloads.Should().NotContain("postgres");
        HarnessOptions.Parse(["--only", "postgres"]).Workloads.Should().Equal("postgres");
        HarnessOptions.Parse(["--postgres", "Host=db01"]).Workloads.Should().Contain("postgres").And.Contain("durable");
        var output = new StringWriter();
        (await BenchmarkHarness.RunAsync(["--only", "postgress"], output, CancellationToken.None)).Should().Be(2);
        output.ToString().Should().Contain("choose from throughput, durable, latency, scale, memory, postgres");
    }
}
