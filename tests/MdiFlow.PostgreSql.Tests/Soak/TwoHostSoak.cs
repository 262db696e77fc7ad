using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Testing.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests.Soak;

/// <summary>What a soak run was asked to do.</summary>
/// <param name="Instances">Instances started, their host-affine step placed on DC01 and DC02 in turn.</param>
/// <param name="Kills">Worker processes SIGKILLed (each restarted at once).</param>
/// <param name="Seed">Chooses which worker dies and how much progress comes between kills.</param>
/// <param name="Limit">The whole run's bound.</param>
internal sealed record SoakPlan(int Instances, int Kills, int Seed, TimeSpan Limit);

/// <summary>What a soak run saw: every count is checked by the test, and printed for the documented long run.</summary>
internal sealed record SoakReport(
    int Instances, int Kills, int Completed, int Lost, int DuplicatedCompletions, int TokenRegressions, int ClaimsNotInTurn,
    int StepsOffTheirHost, int JournalsBroken, int Claims, int HandOvers, TimeSpan Elapsed, IReadOnlyList<string> Problems)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Instances} instances, {Kills} worker kills in {Elapsed.TotalSeconds:0.0} s: {Completed} completed, {Lost} lost, {DuplicatedCompletions} duplicated completions, "
        + $"{TokenRegressions} lease token regressions seen while running, {ClaimsNotInTurn} claims out of turn, {StepsOffTheirHost} host-affine steps off their host, "
        + $"{JournalsBroken} journals broken; {Claims} claims, {HandOvers} hand-overs.{(Problems.Count == 0 ? "" : "\n" + string.Join("\n", Problems.Take(20)))}");
}

/// <summary>
/// The two-host soak: two worker processes (<c>--host DC01</c>, <c>--host DC02</c>, the library's hosted worker) on one
/// PostgreSQL database run instances with free and host-affine steps while the driver SIGKILLs one at random (after a
/// random amount of progress, never on a timer) and restarts it. Meanwhile it samples the store: an instance's lease
/// token must never go back. At the end: every instance completed, no step completed twice, every claim took the next
/// token (never two holders of one), every host-affine step started only under a claim of its host, every journal verifies.
/// </summary>
internal sealed class TwoHostSoak(TestDatabase database, SoakPlan plan)
{
    /// <summary>Free, host-affine, free: each step takes long enough that kills land in the middle of steps.</summary>
    private const string Workflow = """
        { "id": "soak", "steps": [
          { "id": "graph", "uses": "test.anywhere", "with": { "holdMilliseconds": 150 } },
          { "id": "install", "uses": "test.onHost", "with": { "holdMilliseconds": 300 } },
          { "id": "report", "uses": "test.anywhere", "with": { "holdMilliseconds": 100 } } ] }
        """;

    private static readonly string[] Hosts = ["DC01", "DC02"];

    public async Task<SoakReport> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(plan.Seed);
        var problems = new List<string>();
        await using var admin = new SharedStoreHost(database, "ADMIN01", TimeProvider.System);
        var targets = new Dictionary<InstanceId, string>();
        for (var i = 0; i < plan.Instances; i++)
        {
            var target = Hosts[i % Hosts.Length];
            targets[(await admin.StartAsync(Workflow, target)).Id] = target;
        }

        var workers = Hosts.Select(Start).ToArray();
        using var stop = new CancellationTokenSource();
        var sampling = SampleTokensAsync(stop.Token);
        var kills = 0;
        try
        {
            while (kills < plan.Kills && clock.Elapsed < plan.Limit)
            {
                // Kill after some progress (1 to 6 more journal entries), so kills land before, inside and after steps.
                var progress = await JournalRowsAsync() + random.Next(1, 7);
                while (await JournalRowsAsync() < progress && await UnfinishedAsync() > 0 && clock.Elapsed < plan.Limit)
                {
                    await Task.Yield();
                }

                if (await UnfinishedAsync() == 0)
                {
                    // Everything finished before the kills were done: start another round of instances.
                    for (var i = 0; i < Hosts.Length * 2; i++)
                    {
                        var target = Hosts[i % Hosts.Length];
                        targets[(await admin.StartAsync(Workflow, target)).Id] = target;
                    }
                }

                var victim = random.Next(workers.Length);
                await workers[victim].KillAsync();
                await workers[victim].DisposeAsync();
                workers[victim] = Start(Hosts[victim]);
                kills++;
            }

            while (await UnfinishedAsync() > 0 && clock.Elapsed < plan.Limit + TimeSpan.FromSeconds(60))
            {
                await Task.Yield();
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }

        var regressions = await sampling;
        var report = await CheckAsync(admin, targets, problems);
        return report with { Kills = kills, TokenRegressions = regressions.Count, Elapsed = clock.Elapsed, Problems = [.. problems, .. regressions] };
    }

    private CliProcess Start(string host) => CliProcess.StartHostWorker(database.ConnectionString, database.KeyFile, host, "--interval", "1", "--lease", "3");

    private async Task<SoakReport> CheckAsync(SharedStoreHost admin, Dictionary<InstanceId, string> targets, List<string> problems)
    {
        int completed = 0, lost = 0, duplicated = 0, outOfTurn = 0, offHost = 0, broken = 0, claims = 0, handOvers = 0;
        var key = JournalKey.Load(database.KeyFile);
        foreach (var (id, target) in targets)
        {
            var instance = (await admin.Store.FindAsync(id))!;
            var journal = await admin.Store.ReadJournalAsync(id);
            if (instance.Status == InstanceStatus.Completed)
            {
                completed++;
            }
            else
            {
                lost++;
                problems.Add($"{id} ended {instance.Status}: {string.Join(", ", instance.Steps.Select(s => $"{s.Id} {s.Status} {s.Error?.Message}"))}");
            }

            foreach (var step in journal.Where(e => e.Kind == JournalKinds.StepCompleted).GroupBy(e => e.Step).Where(g => g.Count() > 1))
            {
                duplicated += step.Count() - 1;
                problems.Add($"{id}: step '{step.Key}' completed {step.Count()} times");
            }

            var expected = 1L;
            string? claimHost = null;
            foreach (var entry in journal)
            {
                if (entry.Kind == JournalKinds.InstanceResumed)
                {
                    claims++;
                    var data = JsonNode.Parse(entry.Data!)!;
                    var token = data["leaseToken"]!.GetValue<long>();
                    claimHost = data["host"]!.GetValue<string>();
                    if (token != expected)
                    {
                        outOfTurn++;
                        problems.Add($"{id}: claim #{expected} took token {token}");
                    }

                    expected = token + 1;
                }
                else if (entry.Kind == JournalKinds.InstanceHandedOver)
                {
                    handOvers++;
                }
                else if (entry.Kind == JournalKinds.StepStarted && entry.Step == "install" && !string.Equals(claimHost, target, StringComparison.OrdinalIgnoreCase))
                {
                    offHost++;
                    problems.Add($"{id}: 'install' (for {target}) started under a claim of {claimHost}");
                }
            }

            if (instance.Steps.Single(s => s.Id == "install").Output?["host"]?.GetValue<string>() is { } ranOn && ranOn != target)
            {
                offHost++;
                problems.Add($"{id}: 'install' (for {target}) completed on {ranOn}");
            }

            if (TestInstances.VerifyChain(key, id, journal) is { } gap)
            {
                broken++;
                problems.Add($"{id}: journal broken: {gap}");
            }
        }

        return new SoakReport(targets.Count, 0, completed, lost, duplicated, 0, outOfTurn, offHost, broken, claims, handOvers, TimeSpan.Zero, []);
    }

    /// <summary>Reads every instance's lease token over and over until stopped: a token that goes back is a stale holder's commit.</summary>
    private async Task<List<string>> SampleTokensAsync(CancellationToken stop)
    {
        var seen = new Dictionary<string, long>();
        var regressions = new List<string>();
        await using var connection = await database.OpenAsync();
        while (!stop.IsCancellationRequested)
        {
            await using var command = new NpgsqlCommand("SELECT id, lease_token FROM mdiflow.instances", connection);
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            while (await reader.ReadAsync(CancellationToken.None))
            {
                var (id, token) = (reader.GetString(0), reader.GetInt64(1));
                if (seen.TryGetValue(id, out var before) && token < before)
                {
                    regressions.Add($"{id}: lease token went back from {before} to {token}");
                }

                seen[id] = Math.Max(token, before);
            }

            await Task.Yield();
        }

        return regressions;
    }

    private Task<long> JournalRowsAsync() => database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.journal");

    private Task<long> UnfinishedAsync() => database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.instances WHERE status <> 'completed'");
}
