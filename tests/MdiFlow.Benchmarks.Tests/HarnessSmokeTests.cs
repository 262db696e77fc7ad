using System.Text.Json.Nodes;
using MdiFlow.Benchmarks.Harness;

namespace MdiFlow.Benchmarks.Tests;

/// <summary>
/// Runs the benchmark harness with <c>--quick</c> (tiny counts, a few seconds) so that it cannot rot: every
/// workload runs on both engines and every figure of the full run is produced. The full run stays out of the
/// test suite (see docs/performance.md).
/// </summary>
public sealed class HarnessSmokeTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mdiflow-bench-smoke-" + Guid.NewGuid().ToString("n")[..8]);

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
    public async Task A_quick_run_produces_every_figure_with_its_ratio_and_writes_the_json_summary()
    {
        var json = Path.Combine(_directory, "summary.json");
        var output = new StringWriter();

        var exit = await BenchmarkHarness.RunAsync(["--quick", "--json", json, "--work", Path.Combine(_directory, "work")], output, CancellationToken.None);

        exit.Should().Be(0, output.ToString());
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(json))!.AsObject();
        var figures = summary["figures"]!.AsArray().Select(f => f!.AsObject()).ToList();
        string[] expected =
        [
            "a throughput (in-memory)|instances/s",
            "a throughput (in-memory)|steps/s",
            "b durable (SQLite FULL)|transitions/s",
            "b durable (SQLite FULL)|steps/s",
            "b durable (SQLite FULL)|instances/s",
            "b durable (SQLite FULL)|transitions per commit",
            "b durable (SQLite FULL)|one instance alone: transitions/s",
            "c approval-to-resume|p50, MdiFlow on SQLite FULL",
            "c approval-to-resume|p99, MdiFlow on SQLite FULL",
            "c approval-to-resume|p50, of which recording the approval",
            "c approval-to-resume|p50, both in memory",
            "c approval-to-resume|p99, both in memory",
            "d scale|list --status waiting",
            "d scale|show ID",
            "d scale|--version (startup floor)",
            "d scale|bulk create through the store API",
            "e memory|peak working set",
            "e memory|managed memory held,",
            "e memory|managed memory held per waiting instance",
        ];
        foreach (var figure in expected.Select(e => e.Split('|')))
        {
            figures.Should().ContainSingle(f => f["workload"]!.GetValue<string>().StartsWith(figure[0], StringComparison.Ordinal) && f["metric"]!.GetValue<string>().StartsWith(figure[1], StringComparison.Ordinal), string.Join(" / ", figure));
        }

        figures.Should().HaveCount(expected.Length);
        figures.Should().OnlyContain(f => double.IsFinite(f["mdiflow"]!.GetValue<double>()) && f["mdiflow"]!.GetValue<double>() >= 0);
        figures.Where(f => f["target"] != null).Should().OnlyContain(f => f["met"] != null, "every figure with a target says whether it was met");
        figures.Where(f => f["workflowCore"] != null).Should().OnlyContain(f => f["ratioVsWorkflowCore"] != null);
        figures.Where(f => f["limit"] != null).Should().OnlyContain(f => f["ratioVsLimit"] != null);
        figures.Count(f => f["workflowCore"] != null).Should().BeGreaterThanOrEqualTo(8, "throughput, latency and memory are measured on Workflow Core in the same run");
        summary["machine"]!["processors"]!.GetValue<int>().Should().BePositive();
        summary["machine"]!["loadAtStart"].Should().NotBeNull();
        output.ToString().Should().Contain("ratio").And.Contain("JSON summary:");
    }

    [Fact]
    public async Task An_unknown_option_prints_the_usage_and_exits_2()
    {
        var output = new StringWriter();

        (await BenchmarkHarness.RunAsync(["--fast"], output, CancellationToken.None)).Should().Be(2);
        output.ToString().Should().Contain("Unknown option '--fast'").And.Contain("--quick");
    }
}
