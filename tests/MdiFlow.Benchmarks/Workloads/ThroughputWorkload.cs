using System.Diagnostics;
using MdiFlow.Benchmarks.Engines;
using MdiFlow.Benchmarks.Harness;
using MdiFlow.Instances;

namespace MdiFlow.Benchmarks.Workloads;

/// <summary>
/// (a) N instances of ten no-op steps on in-memory stores, both engines: wall time from the first start to
/// the last completion, one warm-up and several measured repetitions, each on a fresh engine; the median is reported.
/// </summary>
internal static class ThroughputWorkload
{
    public static async Task RunAsync(Sizes sizes, Report report, TextWriter log, CancellationToken cancellationToken)
    {
        var n = sizes.Instances;
        var steps = sizes.Steps;
        log.WriteLine($"(a) throughput: {n:N0} instances x {steps} no-op steps, in-memory stores");

        var mdiflow = await RepeatAsync("MdiFlow      ", sizes, n, log, async () =>
        {
            await using var bench = MdiFlowBench.InMemory();
            return await RunMdiFlowAsync(bench, n).ConfigureAwait(false);
        }, sizes.Repetitions).ConfigureAwait(false);
        var workflowCore = await RepeatAsync("Workflow Core", sizes, n, log, async () =>
        {
            await using var bench = await WorkflowCoreBench.StartAsync(cancellationToken).ConfigureAwait(false);
            return await RunWorkflowCoreAsync(bench, n, cancellationToken).ConfigureAwait(false);
        }, sizes.WorkflowCoreRepetitions).ConfigureAwait(false);

        var mdiflowSeconds = Stats.Median(mdiflow);
        var workflowCoreSeconds = Stats.Median(workflowCore);
        var ratio = workflowCoreSeconds / mdiflowSeconds;
        report.Add(new Figure
        {
            Workload = "a throughput (in-memory)",
            Metric = "instances/s",
            Unit = "1/s",
            MdiFlow = n / mdiflowSeconds,
            WorkflowCore = n / workflowCoreSeconds,
            Target = ">= 10x WC",
            Met = ratio >= 10,
            Note = $"{n} instances x {steps} no-op steps; median of {mdiflow.Count} (MdiFlow) and {workflowCore.Count} (Workflow Core) repetitions, each on a fresh engine, after warm-up repetitions (at least {sizes.WarmUpSeconds:0.#} s) so both run JIT-optimized code; range MdiFlow {Range(mdiflow, n)}, Workflow Core {Range(workflowCore, n)} instances/s",
        });
        report.Add(new Figure
        {
            Workload = "a throughput (in-memory)",
            Metric = "steps/s",
            Unit = "1/s",
            MdiFlow = n * steps / mdiflowSeconds,
            WorkflowCore = n * steps / workflowCoreSeconds,
        });
    }

    private static string Range(List<double> seconds, int n) => $"{n / seconds.Max():N0}-{n / seconds.Min():N0}";

    /// <summary>
    /// Warm-up repetitions until at least <see cref="Sizes.WarmUpSeconds"/> have passed (tiered compilation has
    /// then replaced the first, unoptimized code), then <paramref name="repetitions"/> measured ones.
    /// </summary>
    private static async Task<List<double>> RepeatAsync(string engine, Sizes sizes, int n, TextWriter log, Func<Task<double>> run, int repetitions)
    {
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        var warmUps = 0;
        while (warmUps < 1 || warmUp.Elapsed.TotalSeconds < sizes.WarmUpSeconds)
        {
            await run().ConfigureAwait(false);
            warmUps++;
        }

        log.WriteLine($"    {engine}  warm-up  {warmUps} repetitions in {warmUp.Elapsed.TotalSeconds:F1} s");
        var seconds = new List<double>();
        for (var rep = 1; rep <= repetitions; rep++)
        {
            seconds.Add(await run().ConfigureAwait(false));
            log.WriteLine($"    {engine}  rep {rep,-3}  {seconds[^1] * 1000,8:F1} ms  {n / seconds[^1],10:N0} instances/s");
        }

        return seconds;
    }

    /// <summary>Starts N instances at once and waits for all of them to complete; returns the wall time in seconds.</summary>
    public static async Task<double> RunMdiFlowAsync(MdiFlowBench bench, int n)
    {
        var definition = bench.NoOps;
        var runs = new Task<WorkflowInstance>[n];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            runs[i] = Task.Run(() => bench.StartAndRunAsync(definition));
        }

        var done = await Task.WhenAll(runs).ConfigureAwait(false);
        clock.Stop();
        var unfinished = done.Count(i => i.Status != InstanceStatus.Completed);
        return unfinished == 0 ? clock.Elapsed.TotalSeconds : throw new InvalidOperationException($"{unfinished} MdiFlow instances did not complete.");
    }

    /// <summary>Starts N instances (as its README does, one StartWorkflow after another) and waits until the last one finishes.</summary>
    public static async Task<double> RunWorkflowCoreAsync(WorkflowCoreBench bench, int n, CancellationToken cancellationToken)
    {
        var all = bench.Signals.Expect(n);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            await bench.Host.StartWorkflow("bench-noops").ConfigureAwait(false);
        }

        await all.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        clock.Stop();
        return clock.Elapsed.TotalSeconds;
    }
}
