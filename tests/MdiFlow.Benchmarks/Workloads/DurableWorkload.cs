using System.Diagnostics;
using MdiFlow.Benchmarks.Engines;
using MdiFlow.Benchmarks.Harness;
using MdiFlow.Instances;

namespace MdiFlow.Benchmarks.Workloads;

/// <summary>
/// (b) The throughput workload on MdiFlow's SQLite store (WAL, <c>synchronous=FULL</c>), beside the raw rate of
/// fsync'd single-row commits on the same disk, measured before and after in the same run (the higher one is the limit).
/// Every write that reaches the store (create or save) is one persisted transition.
/// </summary>
internal static class DurableWorkload
{
    public static async Task RunAsync(Sizes sizes, string work, Report report, TextWriter log, CancellationToken cancellationToken)
    {
        var n = sizes.DurableInstances;
        log.WriteLine($"(b) durable throughput: {n:N0} instances x {sizes.Steps} no-op steps on SQLite (WAL, synchronous=FULL) in {work}");
        var before = RawCommits.Measure(work, sizes.RawCommitSeconds);
        log.WriteLine($"    raw single-row commits before: {before,10:N0} commits/s");

        var runs = new List<(double Seconds, long Writes, long Commits)>();
        for (var rep = 0; rep <= sizes.DurableRepetitions; rep++)
        {
            var path = Path.Combine(work, $"durable-{rep}.db");
            using var commits = new StoreCommits();
            await using var bench = MdiFlowBench.Sqlite(path);
            await bench.StartAndRunAsync(bench.NoOps).ConfigureAwait(false); // opens the file and migrates it outside the clock
            var writesBefore = bench.Store.Writes;
            var commitsBefore = commits.Count;
            var seconds = await ThroughputWorkload.RunMdiFlowAsync(bench, n).ConfigureAwait(false);
            var run = (seconds, bench.Store.Writes - writesBefore, commits.Count - commitsBefore);
            if (rep > 0 || sizes.DurableRepetitions == 0)
            {
                runs.Add(run);
            }

            log.WriteLine($"    MdiFlow {(rep == 0 ? "warm-up" : $"rep {rep}  ")}  {seconds * 1000,8:F0} ms  {run.Item2 / seconds,10:N0} transitions/s  {n * sizes.Steps / seconds,10:N0} steps/s  {(run.Item3 > 0 ? $"{(double)run.Item2 / run.Item3:F1} transitions/commit" : "")}");
        }

        var single = new List<double>();
        for (var i = 0; i < sizes.SingleInstanceRuns; i++)
        {
            await using var bench = MdiFlowBench.Sqlite(Path.Combine(work, $"single-{i}.db"));
            await bench.StartAndRunAsync(bench.NoOps).ConfigureAwait(false);
            var writes = bench.Store.Writes;
            var clock = Stopwatch.StartNew();
            var instance = await bench.StartAndRunAsync(bench.NoOps).ConfigureAwait(false);
            clock.Stop();
            single.Add((bench.Store.Writes - writes) / clock.Elapsed.TotalSeconds);
            if (instance.Status != InstanceStatus.Completed)
            {
                throw new InvalidOperationException("The single durable instance did not complete.");
            }
        }

        var after = RawCommits.Measure(work, sizes.RawCommitSeconds);
        log.WriteLine($"    raw single-row commits after:  {after,10:N0} commits/s");
        var limit = Math.Max(before, after);

        var median = runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);
        var transitions = median.Writes / median.Seconds;
        report.Add(new Figure
        {
            Workload = "b durable (SQLite FULL)",
            Metric = "transitions/s",
            Unit = "1/s",
            MdiFlow = transitions,
            Limit = limit,
            Target = ">= 1.0x limit",
            Met = transitions >= limit,
            Note = $"{n} concurrent instances; each create or save is one durable transition ({median.Writes / (double)n:F0} per instance); the limit is the higher of the raw single-row commit rates before ({before:F0}/s) and after ({after:F0}/s)",
        });
        report.Add(new Figure
        {
            Workload = "b durable (SQLite FULL)",
            Metric = "steps/s",
            Unit = "1/s",
            MdiFlow = n * sizes.Steps / median.Seconds,
            Limit = limit,
            Note = "each step is two durable transitions (started, completed)",
        });
        report.Add(new Figure
        {
            Workload = "b durable (SQLite FULL)",
            Metric = "instances/s",
            Unit = "1/s",
            MdiFlow = n / median.Seconds,
        });
        if (median.Commits > 0)
        {
            report.Add(new Figure
            {
                Workload = "b durable (SQLite FULL)",
                Metric = "transitions per commit",
                Unit = "",
                MdiFlow = (double)median.Writes / median.Commits,
                Note = "group commit: concurrent saves of different instances share one SQLite transaction",
            });
        }

        report.Add(new Figure
        {
            Workload = "b durable (SQLite FULL)",
            Metric = "one instance alone: transitions/s",
            Unit = "1/s",
            MdiFlow = Stats.Median(single),
            Limit = limit,
            Note = "one instance, nothing to group: one commit per transition, so this is bounded by the limit",
        });
    }
}
