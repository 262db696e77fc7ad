using System.Diagnostics;
using MdiFlow.Benchmarks.Engines;
using MdiFlow.Benchmarks.Harness;
using MdiFlow.Instances;

namespace MdiFlow.Benchmarks.Workloads;

/// <summary>
/// (c) An instance waits at an approval gate. The clock starts when the approval is recorded
/// (<c>engine.ActAsync</c>, one durable save), the instance is resumed (<c>engine.RunAsync</c>), and the clock
/// stops when the next step's activity starts executing. Workflow Core: <c>PublishEvent</c>, then the step after
/// <c>WaitFor</c> starts. Samples run one after another, after a warm-up.
/// </summary>
internal static class ApprovalLatencyWorkload
{
    private const int WarmUp = 10;

    public static async Task RunAsync(Sizes sizes, string work, Report report, TextWriter log, CancellationToken cancellationToken)
    {
        log.WriteLine($"(c) approval-to-resume latency: {sizes.LatencySamples} samples (MdiFlow), {sizes.WorkflowCoreLatencySamples} (Workflow Core)");
        List<double> sqlite, approveOnly;
        await using (var bench = MdiFlowBench.Sqlite(Path.Combine(work, "latency.db")))
        {
            (sqlite, approveOnly) = await MeasureMdiFlowAsync(bench, sizes.LatencySamples).ConfigureAwait(false);
        }

        List<double> memory;
        await using (var bench = MdiFlowBench.InMemory())
        {
            (memory, _) = await MeasureMdiFlowAsync(bench, sizes.LatencySamples).ConfigureAwait(false);
        }

        List<double> workflowCore;
        await using (var bench = await WorkflowCoreBench.StartAsync(cancellationToken).ConfigureAwait(false))
        {
            workflowCore = await MeasureWorkflowCoreAsync(bench, sizes.WorkflowCoreLatencySamples, cancellationToken).ConfigureAwait(false);
        }

        var p50 = Stats.Median(sqlite);
        const string workload = "c approval-to-resume";
        var wcNote = "Workflow Core: PublishEvent to the step after WaitFor, default options; its single-node queue hands the event and then the instance to a waiting consumer at once, and nothing on the way is durable";
        report.Add(new Figure { Workload = workload, Metric = "p50, MdiFlow on SQLite FULL", Unit = "ms", MdiFlow = p50, WorkflowCore = Stats.Median(workflowCore), Better = Better.Lower, Target = "<= 5 ms", Met = p50 <= 5, Note = $"{sqlite.Count} samples; three durable commits on the way: the approval, the resume (lease), the step start. {wcNote}" });
        report.Add(new Figure { Workload = workload, Metric = "p99, MdiFlow on SQLite FULL", Unit = "ms", MdiFlow = Stats.Percentile(sqlite, 99), WorkflowCore = Stats.Percentile(workflowCore, 99), Better = Better.Lower });
        report.Add(new Figure { Workload = workload, Metric = "p50, of which recording the approval", Unit = "ms", MdiFlow = Stats.Median(approveOnly), Better = Better.Lower, Note = "engine.ActAsync alone: read, decide, one durable save" });
        report.Add(new Figure { Workload = workload, Metric = "p50, both in memory", Unit = "ms", MdiFlow = Stats.Median(memory), WorkflowCore = Stats.Median(workflowCore), Better = Better.Lower, Note = $"{memory.Count} samples; MdiFlow on its in-memory store, like Workflow Core's default persistence" });
        report.Add(new Figure { Workload = workload, Metric = "p99, both in memory", Unit = "ms", MdiFlow = Stats.Percentile(memory, 99), WorkflowCore = Stats.Percentile(workflowCore, 99), Better = Better.Lower });
    }

    /// <returns>Approval-to-step latencies, and the time ActAsync alone took, in milliseconds.</returns>
    private static async Task<(List<double> Latencies, List<double> Approvals)> MeasureMdiFlowAsync(MdiFlowBench bench, int samples)
    {
        var waiting = new List<InstanceId>();
        for (var i = 0; i < samples + WarmUp; i++)
        {
            var instance = await bench.StartAndRunAsync(bench.Gated).ConfigureAwait(false);
            waiting.Add(instance.Status == InstanceStatus.Waiting ? instance.Id : throw new InvalidOperationException($"The gated instance is {instance.Status}, not waiting."));
        }

        var latencies = new List<double>();
        var approvals = new List<double>();
        for (var i = 0; i < waiting.Count; i++)
        {
            var id = waiting[i];
            var started = bench.Probe.WaitAsync(id.Value);
            var t0 = Stopwatch.GetTimestamp();
            await bench.ApproveAsync(id).ConfigureAwait(false);
            var approved = Stopwatch.GetTimestamp();
            var run = bench.ResumeAsync(id);
            var t1 = await started.ConfigureAwait(false);
            var result = await run.ConfigureAwait(false);
            if (result.Status != InstanceStatus.Completed)
            {
                throw new InvalidOperationException($"The approved instance ended {result.Status}.");
            }

            bench.Probe.Forget(id.Value);
            if (i < WarmUp)
            {
                continue;
            }

            latencies.Add(Stats.Milliseconds(t0, t1));
            approvals.Add(Stats.Milliseconds(t0, approved));
        }

        return (latencies, approvals);
    }

    private static async Task<List<double>> MeasureWorkflowCoreAsync(WorkflowCoreBench bench, int samples, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        for (var i = 0; i < samples + WarmUp; i++)
        {
            ids.Add(await bench.Host.StartWorkflow("bench-gated", 1, new object()).ConfigureAwait(false));
        }

        foreach (var id in ids)
        {
            await bench.WaitUntilSubscribedAsync(id, cancellationToken).ConfigureAwait(false);
        }

        var latencies = new List<double>();
        for (var i = 0; i < ids.Count; i++)
        {
            var started = bench.Signals.Probe.WaitAsync(ids[i]);
            var t0 = Stopwatch.GetTimestamp();
            await bench.Host.PublishEvent(WorkflowCoreBench.ApprovalEvent, ids[i], "approved").ConfigureAwait(false);
            var t1 = await started.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
            bench.Signals.Probe.Forget(ids[i]);
            if (i >= WarmUp)
            {
                latencies.Add(Stats.Milliseconds(t0, t1));
            }
        }

        return latencies;
    }
}
