using System.Diagnostics;
using MdiFlow.Benchmarks.Harness;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Hosting;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Policy;
using MdiFlow.PostgreSql.HostWorker;
using MdiFlow.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Benchmarks.Workloads;

/// <summary>
/// (g) Several hosts on one PostgreSQL store. Approval to the next step on another process's worker: this process
/// records the approval (<c>engine.ActAsync</c>, one durable commit that also sends the NOTIFY), and the clock stops at
/// the time the worker process journaled the next step's start (one machine, one clock); with LISTEN/NOTIFY (the
/// worker's poll set to a minute) and with its poll alone (every second). Then throughput of one worker process
/// against two (different <c>--host</c>s) on the same instances.
/// </summary>
internal static class PostgresHostsWorkload
{
    public const string Name = "g several hosts (PostgreSQL)";

    private const string Gated = """
        { "id": "hosts-gated", "steps": [
          { "id": "board", "uses": "approval", "with": { "approvers": ["user:bench-approver"] } },
          { "id": "after", "uses": "test.anywhere" } ] }
        """;

    private const string Free = """
        { "id": "hosts-free", "steps": [
          { "id": "one", "uses": "test.anywhere" }, { "id": "two", "uses": "test.anywhere" }, { "id": "three", "uses": "test.anywhere" } ] }
        """;

    private static readonly Actor Owner = new(Environment.UserName, ActorSources.OperatingSystem);
    private static readonly Actor Approver = new("bench-approver", ActorSources.OperatingSystem);

    public static async Task RunAsync(Sizes sizes, HarnessOptions options, string work, Report report, TextWriter log, CancellationToken cancellationToken)
    {
        await using var server = await PostgresServerForBench.StartAsync(options.PostgresConnectionString).ConfigureAwait(false);
        var keyFile = Path.Combine(work, "hosts.key");
        log.WriteLine($"(g) several hosts: approval -> next step on a worker process, {sizes.HostLatencySamples} samples with NOTIFY and with polling alone; {sizes.HostInstances} instances on one worker process, then two");
        await using var admin = Admin(server.ConnectionString, keyFile);

        var notify = await LatencyAsync(admin, server.ConnectionString, keyFile, sizes.HostLatencySamples, ["--interval", "60"], log).ConfigureAwait(false);
        var polling = await LatencyAsync(admin, server.ConnectionString, keyFile, sizes.HostLatencySamples, ["--interval", "1", "--no-listen"], log).ConfigureAwait(false);
        var p50 = Stats.Median(notify);
        report.Add(new Figure { Workload = Name, Metric = "approval -> next step on another process, p50, NOTIFY", Unit = "ms", MdiFlow = p50, Better = Better.Lower, Target = "<= 50 ms", Met = p50 <= 50, Note = $"{notify.Count} samples; the worker process's poll is a minute, so only the notification wakes it" });
        report.Add(new Figure { Workload = Name, Metric = "approval -> next step on another process, p99, NOTIFY", Unit = "ms", MdiFlow = Stats.Percentile(notify, 99), Better = Better.Lower });
        report.Add(new Figure { Workload = Name, Metric = "approval -> next step on another process, p50, polling alone (1 s)", Unit = "ms", MdiFlow = Stats.Median(polling), Better = Better.Lower, Note = $"{polling.Count} samples; the worker without LISTEN, polling every second (the default poll is 5 s)" });
        report.Add(new Figure { Workload = Name, Metric = "approval -> next step on another process, p99, polling alone (1 s)", Unit = "ms", MdiFlow = Stats.Percentile(polling, 99), Better = Better.Lower });

        var one = await ThroughputAsync(admin, server.ConnectionString, keyFile, sizes.HostInstances, ["DC01"], log).ConfigureAwait(false);
        var two = await ThroughputAsync(admin, server.ConnectionString, keyFile, sizes.HostInstances, ["DC01", "DC02"], log).ConfigureAwait(false);
        report.Add(new Figure { Workload = Name, Metric = "instances/s, one worker process", Unit = "1/s", MdiFlow = one, Note = $"{sizes.HostInstances} instances of three no-op steps, created while the worker runs; each instance is eight durable commits" });
        report.Add(new Figure { Workload = Name, Metric = "instances/s, two worker processes (DC01, DC02)", Unit = "1/s", MdiFlow = two, Note = $"the same work shared by two worker processes on one database: {two / one:F2}x one" });
    }

    /// <summary>This process's engine on the store: it starts the instances and records the approvals.</summary>
    private static ServiceProvider Admin(string connectionString, string keyFile)
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow
                .UsePostgreSql(o =>
                {
                    o.ConnectionString = connectionString;
                    o.KeyFile = keyFile;
                })
                .UsePolicy(OrganisationPolicy.Default)
                .Configure(o => o.HostName = "ADMIN01"))
            .AddActivitiesFrom<HoldInput>();
        return services.BuildServiceProvider();
    }

    private static async Task<List<double>> LatencyAsync(ServiceProvider admin, string connectionString, string keyFile, int samples, string[] workerArgs, TextWriter log)
    {
        var engine = admin.GetRequiredService<WorkflowEngine>();
        var store = admin.GetRequiredService<IWorkflowStore>();
        var definition = Parse(admin, Gated);
        const int warmUp = 3;
        var waiting = new List<InstanceId>();
        for (var i = 0; i < samples + warmUp; i++)
        {
            var instance = await engine.StartAsync(definition, new StartRequest { Actor = Owner }).ConfigureAwait(false);
            var run = await engine.RunAsync(instance.Id, new RunRequest { Actor = Owner }).ConfigureAwait(false);
            waiting.Add(run.Status == InstanceStatus.Waiting ? instance.Id : throw new InvalidOperationException($"The gated instance is {run.Status}."));
        }

        await using var worker = HostWorkerProcess.Start(connectionString, keyFile, "DC01", workerArgs);
        await worker.Ready.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        var latencies = new List<double>();
        var random = new Random(20261201);
        for (var i = 0; i < waiting.Count; i++)
        {
            // A random pause first, so approvals land anywhere in the worker's poll interval (not always just after a pass).
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1100))).ConfigureAwait(false);
            var approvedAt = TimeProvider.System.GetUtcNow();
            await engine.ActAsync(waiting[i], new GateActionRequest { Action = GateAction.Approve, Actor = Approver, Text = "benchmark" }).ConfigureAwait(false);
            var started = await StepStartedAsync(store, waiting[i], "after").ConfigureAwait(false);
            if (i >= warmUp)
            {
                latencies.Add((started - approvedAt).TotalMilliseconds);
            }
        }

        log.WriteLine($"    {string.Join(' ', workerArgs),-24} p50 {Stats.Median(latencies),8:F1} ms  p99 {Stats.Percentile(latencies, 99),8:F1} ms");
        return latencies;
    }

    private static async Task<double> ThroughputAsync(ServiceProvider admin, string connectionString, string keyFile, int count, string[] hosts, TextWriter log)
    {
        var engine = admin.GetRequiredService<WorkflowEngine>();
        var store = admin.GetRequiredService<IWorkflowStore>();
        var definition = Parse(admin, Free);
        var workers = hosts.Select(h => HostWorkerProcess.Start(connectionString, keyFile, h, "--interval", "1")).ToList();
        try
        {
            foreach (var worker in workers)
            {
                await worker.Ready.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            }

            var clock = Stopwatch.StartNew();
            var ids = new List<InstanceId>();
            for (var i = 0; i < count; i++)
            {
                ids.Add((await engine.StartAsync(definition, new StartRequest { Actor = Owner }).ConfigureAwait(false)).Id);
            }

            foreach (var id in ids)
            {
                while ((await store.FindAsync(id).ConfigureAwait(false))!.Status != InstanceStatus.Completed)
                {
                    if (clock.Elapsed > TimeSpan.FromMinutes(5))
                    {
                        throw new TimeoutException($"{id} did not complete on {string.Join(", ", hosts)} within five minutes.");
                    }

                    await Task.Delay(1).ConfigureAwait(false);
                }
            }

            var rate = count / clock.Elapsed.TotalSeconds;
            log.WriteLine($"    {hosts.Length} worker process(es): {count} instances in {clock.Elapsed.TotalMilliseconds,8:F0} ms  {rate,8:F1} instances/s");
            return rate;
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>When the worker journaled the start of <paramref name="step"/> (bounded: a minute); the journal is read again only when its tail moved.</summary>
    private static async Task<DateTimeOffset> StepStartedAsync(IWorkflowStore store, InstanceId id, string step)
    {
        var clock = Stopwatch.StartNew();
        var seen = -1L;
        while (true)
        {
            if (await store.ReadJournalTailAsync(id).ConfigureAwait(false) is { } tail && tail.Seq != seen)
            {
                seen = tail.Seq;
                if ((await store.ReadJournalAsync(id).ConfigureAwait(false)).FirstOrDefault(e => e.Kind == JournalKinds.StepStarted && e.Step == step) is { } entry)
                {
                    return entry.At;
                }
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new TimeoutException($"Step '{step}' of {id} did not start within a minute.");
            }

            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    private static Definitions.WorkflowDefinition Parse(ServiceProvider services, string json)
    {
        var loaded = services.GetRequiredService<Definitions.WorkflowValidator>().Parse(json);
        return loaded.Definition ?? throw new InvalidOperationException(string.Join("; ", loaded.Errors.Select(e => e.Message)));
    }
}
