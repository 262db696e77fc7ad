using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using MdiFlow.Benchmarks.Workloads;

namespace MdiFlow.Benchmarks.Harness;

/// <summary>Runs the selected workloads on MdiFlow and on Workflow Core, prints the table and writes the JSON summary.</summary>
internal static class BenchmarkHarness
{
    /// <returns>The process exit code: 0 when every workload ran (missed targets are reported, not failures), 2 for a usage error.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        HarnessOptions options;
        try
        {
            options = HarnessOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await output.WriteLineAsync(ex.Message + Environment.NewLine + HarnessOptions.Usage).ConfigureAwait(false);
            return 2;
        }

        if (options.Child is not null)
        {
            return await MemoryWorkload.RunChildAsync(options, output, cancellationToken).ConfigureAwait(false);
        }

        var report = await RunAsync(options, output, cancellationToken).ConfigureAwait(false);
        report.PrintTable(output);
        if (options.JsonPath is { } json)
        {
            await report.WriteJsonAsync(json, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"JSON summary: {json}").ConfigureAwait(false);
        }

        return 0;
    }

    public static async Task<Report> RunAsync(HarnessOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var temporary = options.WorkDirectory is null;
        var work = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), $"mdiflow-bench-{Guid.NewGuid():n}"[..22]);
        Directory.CreateDirectory(work);
        var report = new Report(output);
        var sizes = options.Sizes;
        var clock = Stopwatch.StartNew();
        Describe(report, options, work, "loadAtStart");
        await output.WriteLineAsync($"MdiFlow benchmarks ({(options.Quick ? "quick" : "full")} run) on {report.Machine["processors"]} cores, load {report.Machine["loadAtStart"]}").ConfigureAwait(false);
        try
        {
            foreach (var workload in HarnessOptions.KnownWorkloads.Where(options.Workloads.Contains))
            {
                var started = clock.Elapsed;
                await (workload switch
                {
                    "throughput" => ThroughputWorkload.RunAsync(sizes, report, output, cancellationToken),
                    "durable" => DurableWorkload.RunAsync(sizes, work, report, output, cancellationToken),
                    "latency" => ApprovalLatencyWorkload.RunAsync(sizes, work, report, output, cancellationToken),
                    "scale" => ScaleWorkload.RunAsync(sizes, options, work, report, output, cancellationToken),
                    "memory" => MemoryWorkload.RunAsync(sizes, work, report, output, cancellationToken),
                    "postgres" => PostgresDurableWorkload.RunAsync(sizes, options, work, report, output, cancellationToken),
                    "hosts" => PostgresHostsWorkload.RunAsync(sizes, options, work, report, output, cancellationToken),
                    _ => throw new InvalidOperationException(workload),
                }).ConfigureAwait(false);
                await output.WriteLineAsync($"    ({(clock.Elapsed - started).TotalSeconds:F1} s)").ConfigureAwait(false);
            }
        }
        finally
        {
            if (temporary)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                TryDelete(work);
            }
        }

        report.Machine["loadAtEnd"] = LoadAverage();
        report.Settings["elapsedSeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        await output.WriteLineAsync($"Finished in {clock.Elapsed.TotalSeconds:F0} s; load {report.Machine["loadAtEnd"]}").ConfigureAwait(false);
        return report;
    }

    private static void Describe(Report report, HarnessOptions options, string work, string loadKey)
    {
        var m = report.Machine;
        m["processors"] = Environment.ProcessorCount;
        m["memoryMB"] = MemoryMegabytes();
        m[loadKey] = LoadAverage();
        m["cpu"] = CpuModel();
        m["os"] = RuntimeInformation.OSDescription;
        m["runtime"] = RuntimeInformation.FrameworkDescription;
        m["gc"] = GCSettings.IsServerGC ? "server" : "workstation";
        m["workDirectory"] = work;
        m["startedAt"] = TimeProvider.System.GetUtcNow().ToString("u", System.Globalization.CultureInfo.InvariantCulture);
        var s = report.Settings;
        s["quick"] = options.Quick;
        s["workloads"] = string.Join(",", HarnessOptions.KnownWorkloads.Where(options.Workloads.Contains));
        s["sizes"] = System.Text.Json.JsonSerializer.SerializeToNode(options.Sizes);
        s["workflowCore"] = typeof(WorkflowCore.Interface.IWorkflowHost).Assembly.GetName().Version?.ToString();
    }

    private static string LoadAverage() => ReadProc("/proc/loadavg") is { } text ? string.Join(' ', text.Split(' ').Take(3)) : "unknown";

    private static long? MemoryMegabytes() =>
        ReadProc("/proc/meminfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024
            : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1048576;

    private static string CpuModel() =>
        ReadProc("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static string? ReadProc(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
