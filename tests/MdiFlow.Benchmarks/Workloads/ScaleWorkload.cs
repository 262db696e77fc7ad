using System.Diagnostics;
using MdiFlow.Benchmarks.Engines;
using MdiFlow.Benchmarks.Harness;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Sqlite;

namespace MdiFlow.Benchmarks.Workloads;

/// <summary>
/// (d) A SQLite store with N instances, then the whole-process wall time of <c>mdiflow list --status waiting</c>
/// and <c>mdiflow show ID</c>, beside the bare <c>mdiflow --version</c> startup floor.
/// </summary>
/// <remarks>
/// The store is filled through the store API: two template instances are run by the engine itself (one to its
/// approval gate, one to completion), then N copies under new time-ordered ids, a quarter of them waiting, are
/// written with <see cref="SqliteWorkflowStore.CreateAsync"/> by concurrent writers, each with its template's
/// journal, so concurrent creates are group-committed like any other writes.
/// </remarks>
internal static class ScaleWorkload
{
    private const int Writers = 128;

    public static async Task RunAsync(Sizes sizes, HarnessOptions options, string work, Report report, TextWriter log, CancellationToken cancellationToken)
    {
        var n = sizes.ScaleInstances;
        var cli = options.ResolveCli();
        if (!File.Exists(cli))
        {
            throw new FileNotFoundException($"The mdiflow CLI is not built at {cli}. Build it (dotnet build -c Release src/MdiFlow.Cli) or pass --cli PATH (a mdiflow.dll, or a published mdiflow).", cli);
        }

        var path = Path.Combine(work, "scale.db");
        log.WriteLine($"(d) scale: {n:N0} instances in {path}");
        WorkflowInstance waiting, completed;
        IReadOnlyList<JournalEntry> waitingJournal, completedJournal;
        await using (var bench = MdiFlowBench.Sqlite(path))
        {
            waiting = await bench.StartAndRunAsync(bench.Gated).ConfigureAwait(false);
            completed = await bench.StartAndRunAsync(bench.NoOps).ConfigureAwait(false);
            waitingJournal = await bench.Store.ReadJournalAsync(waiting.Id, cancellationToken).ConfigureAwait(false);
            completedJournal = await bench.Store.ReadJournalAsync(completed.Id, cancellationToken).ConfigureAwait(false);
        }

        var clock = new SteppingClock(waiting.CreatedAt.AddDays(-30), TimeSpan.FromSeconds(2));
        var ids = Enumerable.Range(0, n).Select(_ => (Id: InstanceId.New(clock), At: clock.GetUtcNow())).ToArray();
        var next = -1;
        var bulk = Stopwatch.StartNew();
        using (var store = new SqliteWorkflowStore(new SqliteStoreOptions { Path = path, BusyTimeout = TimeSpan.FromSeconds(30) }))
        {
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < n; i = Interlocked.Increment(ref next))
                {
                    var (template, journal) = i % 4 == 0 ? (waiting, waitingJournal) : (completed, completedJournal);
                    await store.CreateAsync(Copy(template, ids[i].Id, ids[i].At), journal, cancellationToken).ConfigureAwait(false);
                }
            }, cancellationToken))).ConfigureAwait(false);
        }

        bulk.Stop();
        log.WriteLine($"    bulk create: {n / bulk.Elapsed.TotalSeconds,10:N0} instances/s ({bulk.Elapsed.TotalSeconds:F1} s), {new FileInfo(path).Length / 1048576.0:F0} MB");
        var store_ = $"sqlite:{path}";
        var shown = ids[(n / 2) - ((n / 2) % 4)].Id.Value;
        var version = await TimeAsync(cli, ["--version"], work, sizes.CliRuns, log, cancellationToken).ConfigureAwait(false);
        var list = await TimeAsync(cli, ["list", "--status", "waiting", "--store", store_], work, sizes.CliRuns, log, cancellationToken).ConfigureAwait(false);
        var show = await TimeAsync(cli, ["show", shown, "--store", store_], work, sizes.CliRuns, log, cancellationToken).ConfigureAwait(false);
        if (!show.Stdout.Contains(shown, StringComparison.Ordinal) || !list.Stdout.Contains("waiting", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The CLI did not print what was asked:\n{list.Stdout}\n{show.Stdout}");
        }

        var workload = $"d scale ({n / 1000.0:0.#}k instances{(IsDll(cli) ? "" : ", published CLI")})";
        var how = IsDll(cli) ? "dotnet mdiflow.dll ..., JIT-compiled" : $"{Path.GetFileName(cli)} ..., the published single file (ReadyToRun, self-contained)";
        var note = $"whole process ({how}), median of {sizes.CliRuns} runs after a warm-up; Workflow Core has no CLI and its in-memory store cannot outlive a process";
        report.Add(new Figure { Workload = workload, Metric = "list --status waiting", Unit = "ms", MdiFlow = list.Median, Better = Better.Lower, Target = "<= 500 ms", Met = list.Median <= 500, Note = $"{note}; prints the newest 100 waiting instances (of {(n + 3) / 4:N0}) with what each waits for" });
        report.Add(new Figure { Workload = workload, Metric = "show ID", Unit = "ms", MdiFlow = show.Median, Better = Better.Lower, Target = "<= 300 ms", Met = show.Median <= 300, Note = note });
        report.Add(new Figure { Workload = workload, Metric = "--version (startup floor)", Unit = "ms", MdiFlow = version.Median, Better = Better.Lower, Note = $"the host, the runtime and the CLI's own start-up, with no store opened ({how})" });
        report.Add(new Figure { Workload = workload, Metric = "bulk create through the store API", Unit = "1/s", MdiFlow = n / bulk.Elapsed.TotalSeconds, Note = $"{Writers} concurrent CreateAsync callers, synchronous=FULL" });
    }

    private static async Task<(double Median, string Stdout)> TimeAsync(string cli, string[] args, string work, int runs, TextWriter log, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        var stdout = "";
        for (var i = 0; i <= runs; i++)
        {
            var result = (await (IsDll(cli)
                    ? ChildProcess.RunAsync("dotnet", [cli, .. args], work, TimeSpan.FromMinutes(2), cancellationToken)
                    : ChildProcess.RunAsync(cli, args, work, TimeSpan.FromMinutes(2), cancellationToken)).ConfigureAwait(false))
                .EnsureSuccess($"mdiflow {string.Join(' ', args)}");
            stdout = result.Stdout;
            if (i > 0)
            {
                times.Add(result.Elapsed.TotalMilliseconds);
            }
        }

        log.WriteLine($"    mdiflow {string.Join(' ', args.TakeWhile(a => a != "--store"))}: median {Stats.Median(times):F0} ms (runs: {string.Join(", ", times.Select(t => t.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))})");
        return (Stats.Median(times), stdout);
    }

    /// <summary>A framework-dependent mdiflow.dll runs through dotnet; a published mdiflow runs as it is.</summary>
    private static bool IsDll(string cli) => cli.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>A copy of a template instance under another id and creation time (the template's objects are shared, read-only).</summary>
    private static WorkflowInstance Copy(WorkflowInstance template, InstanceId id, DateTimeOffset at) => new()
    {
        Id = id,
        WorkflowId = template.WorkflowId,
        WorkflowVersion = template.WorkflowVersion,
        DefinitionHash = template.DefinitionHash,
        Definition = template.Definition,
        Inputs = template.Inputs,
        SecretMap = template.SecretMap,
        Status = template.Status,
        CreatedAt = at,
        UpdatedAt = at,
        Requester = template.Requester,
        IsRehearsal = template.IsRehearsal,
        StepList = template.StepList,
        Lease = template.Lease,
        DueAt = template.DueAt,
        JournalSeq = template.JournalSeq,
        JournalHead = template.JournalHead,
    };

    /// <summary>A clock that moves on by a fixed step every time it is read, so ids and creation times spread out.</summary>
    private sealed class SteppingClock(DateTimeOffset start, TimeSpan step) : TimeProvider
    {
        private long _ticks = start.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Add(ref _ticks, step.Ticks), TimeSpan.Zero);
    }
}
