using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MdiFlow.Benchmarks.Engines;
using MdiFlow.Benchmarks.Harness;
using MdiFlow.Instances;

namespace MdiFlow.Benchmarks.Workloads;

/// <summary>
/// (e) Memory, each figure measured in a fresh child process of this harness so that nothing else it ran counts:
/// the peak working set while N instances run at once, and the managed memory still held (after a full,
/// compacting collection) once M instances wait at a gate, against the same process before them.
/// </summary>
internal static class MemoryWorkload
{
    public const string ConcurrentMdiFlow = "concurrent-mdiflow";
    public const string ConcurrentWorkflowCore = "concurrent-workflowcore";
    public const string ParkedMdiFlow = "parked-mdiflow";
    public const string ParkedWorkflowCore = "parked-workflowcore";
    private const string ResultPrefix = "RESULT ";

    public static async Task RunAsync(Sizes sizes, string work, Report report, TextWriter log, CancellationToken cancellationToken)
    {
        log.WriteLine($"(e) memory: {sizes.ConcurrentInstances:N0} instances at once; {sizes.ParkedInstances:N0} parked at a gate (each in its own process)");
        var peak = await ChildAsync(ConcurrentMdiFlow, sizes.ConcurrentInstances, work, cancellationToken).ConfigureAwait(false);
        var wcPeak = await ChildAsync(ConcurrentWorkflowCore, sizes.ConcurrentInstances, work, cancellationToken).ConfigureAwait(false);
        var parked = await ChildAsync(ParkedMdiFlow, sizes.ParkedInstances, work, cancellationToken).ConfigureAwait(false);
        var wcParked = await ChildAsync(ParkedWorkflowCore, sizes.ParkedInstances, work, cancellationToken).ConfigureAwait(false);

        const string workload = "e memory";
        var peakMb = Value(peak, "peakWorkingSet") / 1048576;
        report.Add(new Figure { Workload = workload, Metric = $"peak working set, {sizes.ConcurrentInstances:N0} running at once", Unit = "MB", MdiFlow = peakMb, WorkflowCore = Value(wcPeak, "peakWorkingSet") / 1048576, Better = Better.Lower, Target = "< 200 MB", Met = peakMb < 200, Note = $"whole child process (VmHWM); MdiFlow on SQLite FULL, all instances in flight through group commit; Workflow Core in memory. Working set before the run: MdiFlow {Value(peak, "workingSetBefore") / 1048576:F0} MB, Workflow Core {Value(wcPeak, "workingSetBefore") / 1048576:F0} MB" });
        var held = Value(parked, "held");
        var heldPerInstance = held / sizes.ParkedInstances;
        report.Add(new Figure { Workload = workload, Metric = $"managed memory held, {sizes.ParkedInstances:N0} waiting", Unit = "MB", MdiFlow = held / 1048576, WorkflowCore = Value(wcParked, "held") / 1048576, Better = Better.Lower, Target = "~0 (< 64 B/instance)", Met = heldPerInstance < 64, Note = "GC.GetTotalMemory(true) after a compacting full collection, after minus before the instances were parked (the same process first parked a tenth as many, so that its thread pool, buffers and compiled code count before); MdiFlow on SQLite (the engine keeps nothing of a waiting instance), Workflow Core with its in-memory persistence (where its instances live)" });
        report.Add(new Figure { Workload = workload, Metric = "managed memory held per waiting instance", Unit = "B", MdiFlow = Math.Max(0, heldPerInstance), WorkflowCore = Value(wcParked, "held") / sizes.ParkedInstances, Better = Better.Lower });
    }

    private static double Value(JsonObject result, string name) => result[name]!.GetValue<double>();

    private static async Task<JsonObject> ChildAsync(string kind, int count, string work, CancellationToken cancellationToken)
    {
        var result = (await ChildProcess.RunAsync("dotnet", [HarnessOptions.HarnessDll, "--child", kind, "--count", count.ToString(CultureInfo.InvariantCulture), "--work", work], work, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false))
            .EnsureSuccess($"The {kind} child");
        var line = result.Stdout.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The {kind} child printed no result:\n{result.Stdout}\n{result.Stderr}");
        return JsonNode.Parse(line[ResultPrefix.Length..])!.AsObject();
    }

    /// <summary>The body of a child process: one measurement, printed as one JSON line.</summary>
    public static async Task<int> RunChildAsync(HarnessOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var work = options.WorkDirectory ?? throw new ArgumentException("A child needs --work.");
        var result = options.Child switch
        {
            ConcurrentMdiFlow => await ConcurrentMdiFlowAsync(options.Count, work).ConfigureAwait(false),
            ConcurrentWorkflowCore => await ConcurrentWorkflowCoreAsync(options.Count, cancellationToken).ConfigureAwait(false),
            ParkedMdiFlow => await ParkedMdiFlowAsync(options.Count, work).ConfigureAwait(false),
            ParkedWorkflowCore => await ParkedWorkflowCoreAsync(options.Count, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentException($"Unknown child '{options.Child}'."),
        };
        await output.WriteLineAsync(ResultPrefix + result.ToJsonString()).ConfigureAwait(false);
        return 0;
    }

    private static async Task<JsonObject> ConcurrentMdiFlowAsync(int count, string work)
    {
        await using var bench = MdiFlowBench.Sqlite(Path.Combine(work, $"concurrent-{Guid.NewGuid():n}.db"));
        await bench.StartAndRunAsync(bench.NoOps).ConfigureAwait(false);
        var before = WorkingSet();
        await ThroughputWorkload.RunMdiFlowAsync(bench, count).ConfigureAwait(false);
        return Peak(before);
    }

    private static async Task<JsonObject> ConcurrentWorkflowCoreAsync(int count, CancellationToken cancellationToken)
    {
        await using var bench = await WorkflowCoreBench.StartAsync(cancellationToken).ConfigureAwait(false);
        await ThroughputWorkload.RunWorkflowCoreAsync(bench, 1, cancellationToken).ConfigureAwait(false);
        var before = WorkingSet();
        await ThroughputWorkload.RunWorkflowCoreAsync(bench, count, cancellationToken).ConfigureAwait(false);
        return Peak(before);
    }

    private static async Task<JsonObject> ParkedMdiFlowAsync(int count, string work)
    {
        await using var bench = MdiFlowBench.Sqlite(Path.Combine(work, $"parked-{Guid.NewGuid():n}.db"));
        await ParkAsync(bench, WarmUp(count)).ConfigureAwait(false);
        var before = ManagedMemory();
        await ParkAsync(bench, count).ConfigureAwait(false);
        return Held(before);
    }

    private static async Task ParkAsync(MdiFlowBench bench, int count)
    {
        const int AtOnce = 500;
        for (var done = 0; done < count; done += AtOnce)
        {
            var batch = await Task.WhenAll(Enumerable.Range(0, Math.Min(AtOnce, count - done)).Select(_ => Task.Run(() => bench.StartAndRunAsync(bench.Gated)))).ConfigureAwait(false);
            if (batch.Any(i => i.Status != InstanceStatus.Waiting))
            {
                throw new InvalidOperationException("An instance did not stop at its gate.");
            }
        }
    }

    private static async Task<JsonObject> ParkedWorkflowCoreAsync(int count, CancellationToken cancellationToken)
    {
        await using var bench = await WorkflowCoreBench.StartAsync(cancellationToken).ConfigureAwait(false);
        await ParkAsync(bench, WarmUp(count), cancellationToken).ConfigureAwait(false);
        var before = ManagedMemory();
        await ParkAsync(bench, count, cancellationToken).ConfigureAwait(false);
        return Held(before);
    }

    private static async Task ParkAsync(WorkflowCoreBench bench, int count, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await bench.Host.StartWorkflow("bench-gated", 1, new object()).ConfigureAwait(false));
        }

        foreach (var id in ids)
        {
            await bench.WaitUntilSubscribedAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Parked first, outside the measurement, so that what the process keeps once whatever it parks (thread pool
    /// threads, their buffers, compiled code, pools) is counted before, and only what the parked instances hold after.
    /// </summary>
    private static int WarmUp(int count) => Math.Clamp(count / 10, 20, 1_000);

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static JsonObject Peak(long before)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new JsonObject { ["peakWorkingSet"] = process.PeakWorkingSet64, ["workingSetBefore"] = before };
    }

    private static long ManagedMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static JsonObject Held(long before)
    {
        var after = ManagedMemory();
        return new JsonObject { ["before"] = before, ["after"] = after, ["held"] = after - before };
    }
}
