using System.Diagnostics;
using MdiFlow.Benchmarks.Engines;
using MdiFlow.Benchmarks.Harness;
using MdiFlow.Instances;

namespace MdiFlow.Benchmarks.Workloads;

/// <summary>
/// (f) The throughput workload on MdiFlow's PostgreSQL store (<c>synchronous_commit = on</c>, group commit), beside the
/// raw rate of single-row commits on the same server, measured before and after in the same run (the higher one is
/// the limit). Every write that reaches the store (create or save) is one durable transition.
/// </summary>
internal static class PostgresDurableWorkload
{
    public const string Name = "f durable (PostgreSQL)";

    public static async Task RunAsync(Sizes sizes, HarnessOptions options, string work, Report report, TextWriter log, CancellationToken cancellationToken)
    {
        var keyFile = Path.Combine(work, "postgres.key");
        await using var server = await PostgresServerForBench.StartAsync(options.PostgresConnectionString).ConfigureAwait(false);
        var fsync = await server.SettingAsync("fsync").ConfigureAwait(false);
        var version = await server.SettingAsync("server_version").ConfigureAwait(false);
        report.Settings["postgres"] = $"PostgreSQL {version} ({server.Origin}), fsync={fsync}, synchronous_commit=on";
        var n = sizes.PostgresInstances;
        log.WriteLine($"(f) durable throughput: {n:N0} instances x {sizes.Steps} no-op steps on PostgreSQL {version} (synchronous_commit=on, fsync={fsync}), {server.Origin}");
        var before = await PostgresRawCommits.MeasureAsync(server.RawConnectionString, sizes.RawCommitSeconds).ConfigureAwait(false);
        log.WriteLine($"    raw single-row commits before: {before,10:N0} commits/s");

        // Warm-up repetitions for at least the warm-up time (as in (a)), so that the measured ones run JIT-optimized
        // code, then the measured ones; each on a new store (its own pool and writing connection) over the same database.
        var runs = new List<(double Seconds, long Writes, long Commits)>();
        var warmUp = Stopwatch.StartNew();
        var warmUps = 0;
        while (warmUps < 1 || warmUp.Elapsed.TotalSeconds < sizes.WarmUpSeconds || runs.Count < sizes.PostgresRepetitions)
        {
            var measured = warmUps >= 1 && warmUp.Elapsed.TotalSeconds >= sizes.WarmUpSeconds;
            using var commits = new StoreCommits();
            await using var bench = MdiFlowBench.PostgreSql(server.ConnectionString, keyFile);
            await bench.StartAndRunAsync(bench.NoOps).ConfigureAwait(false); // opens and checks the store outside the clock
            var writesBefore = bench.Store.Writes;
            var commitsBefore = commits.Count;
            var seconds = await ThroughputWorkload.RunMdiFlowAsync(bench, n).ConfigureAwait(false);
            var run = (seconds, bench.Store.Writes - writesBefore, commits.Count - commitsBefore);
            if (measured)
            {
                runs.Add(run);
            }
            else
            {
                warmUps++;
            }

            log.WriteLine($"    MdiFlow {(measured ? $"rep {runs.Count}  " : "warm-up")}  {seconds * 1000,8:F0} ms  {run.Item2 / seconds,10:N0} transitions/s  {n * sizes.Steps / seconds,10:N0} steps/s  {(run.Item3 > 0 ? $"{(double)run.Item2 / run.Item3:F1} transitions/commit" : "")}");
        }

        var single = new List<double>();
        await using (var bench = MdiFlowBench.PostgreSql(server.ConnectionString, keyFile))
        {
            await bench.StartAndRunAsync(bench.NoOps).ConfigureAwait(false);
            for (var i = 0; i < sizes.SingleInstanceRuns; i++)
            {
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
        }

        var after = await PostgresRawCommits.MeasureAsync(server.RawConnectionString, sizes.RawCommitSeconds).ConfigureAwait(false);
        log.WriteLine($"    raw single-row commits after:  {after,10:N0} commits/s");
        var limit = Math.Max(before, after);
        var median = runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);
        var transitions = median.Writes / median.Seconds;
        report.Add(new Figure
        {
            Workload = Name,
            Metric = "transitions/s",
            Unit = "1/s",
            MdiFlow = transitions,
            Limit = limit,
            Target = ">= 2.0x limit",
            Met = transitions >= 2 * limit,
            Note = $"{n} concurrent instances on one store; each create or save is one durable transition ({median.Writes / (double)n:F0} per instance); the limit is the higher of the raw single-row commit rates of the same server before ({before:F0}/s) and after ({after:F0}/s)",
        });
        report.Add(new Figure { Workload = Name, Metric = "steps/s", Unit = "1/s", MdiFlow = n * sizes.Steps / median.Seconds, Limit = limit, Note = "each step is two durable transitions (started, completed)" });
        report.Add(new Figure { Workload = Name, Metric = "instances/s", Unit = "1/s", MdiFlow = n / median.Seconds });
        if (median.Commits > 0)
        {
            report.Add(new Figure
            {
                Workload = Name,
                Metric = "transitions per commit",
                Unit = "",
                MdiFlow = (double)median.Writes / median.Commits,
                Note = "group commit: saves of different instances that arrive together share one transaction and one round trip",
            });
        }

        report.Add(new Figure
        {
            Workload = Name,
            Metric = "one instance alone: transitions/s",
            Unit = "1/s",
            MdiFlow = Stats.Median(single),
            Limit = limit,
            Note = "one instance, nothing to group: one commit per transition, so this is bounded by the limit",
        });
    }
}
