using System.Text.Json.Nodes;
using MdiFlow.Cli.Tests.Support;
using Xunit.Abstractions;

namespace MdiFlow.Cli.Tests;

/// <summary>
/// Many runs of a five-step workflow, each killed with SIGKILL at a random moment (between steps, inside a
/// step, between a step's side effect and its commit), then recovered with <c>resume</c>. Afterwards every
/// instance is complete, every step's side effect happened exactly once, no completed step ran again, and
/// every journal verifies.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CrashHarnessTests(PublishedCli cli, ITestOutputHelper log) : IDisposable
{
    /// <summary>At least 200 kills in the normal suite; MDIFLOW_CRASH_KILLS asks for more (the long run in docs/performance.md).</summary>
    private static readonly int KilledRuns = int.TryParse(Environment.GetEnvironmentVariable("MDIFLOW_CRASH_KILLS"), out var kills) && kills > 200 ? kills : 200;
    private readonly Workspace _ws = new();

    // Each step checks before acting (as a recovery-aware activity must), records every invocation,
    // performs its side effect once, and lingers so that some kills land after the effect and before the commit.
    private const string Step = "echo \"$MDIFLOW_INSTANCE_ID $MDIFLOW_STEP $MDIFLOW_ATTEMPT\" >> invocations.log; "
        + "grep -q \"^$MDIFLOW_INSTANCE_ID $MDIFLOW_STEP$\" effects.log 2>/dev/null || echo \"$MDIFLOW_INSTANCE_ID $MDIFLOW_STEP\" >> effects.log; "
        + "sleep 0.0$(( $$ % 5 ))";

    [Fact]
    public async Task Two_hundred_runs_killed_at_random_points_all_recover_with_no_lost_or_duplicated_completion()
    {
        var steps = string.Join(",\n", Enumerable.Range(1, 5).Select(i => $$"""{ "id": "s{{i}}", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "{{Step.Replace("\"", "\\\"", StringComparison.Ordinal)}}"] } }"""));
        var workflow = _ws.Write("harness.json", $$"""{ "id": "harness", "steps": [ {{steps}} ] }""");
        var killed = 0;
        var attempts = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Two runs at a time: the machine has two cores, and concurrent runs share the store file as operators' would.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async lane =>
        {
            var random = new Random(20261126 + lane);
            while (Interlocked.CompareExchange(ref killed, 0, 0) < KilledRuns)
            {
                Interlocked.Increment(ref attempts);
                var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using var run = cli.Start(_ws.Root, null, line =>
                {
                    if (line.StartsWith("Started instance", StringComparison.Ordinal))
                    {
                        started.TrySetResult();
                    }
                }, "run", workflow, "--store", _ws.Store);
                await started.Task.WaitAsync(TimeSpan.FromSeconds(60)); // The instance exists: every kill below is a crash of a run.
                await Task.Delay(random.Next(0, 400)); // The random kill point.
                if (run.HasExited)
                {
                    continue; // It finished before the kill: not a crash.
                }

                run.Kill(entireProcessTree: true);
                await run.WaitForExitAsync();
                Interlocked.Increment(ref killed);
            }
        }));

        var instances = Workspace.Json(cli.Mdiflow(_ws.Root, "list", "--json", "--limit", "1000", "--store", _ws.Store)).AsArray()
            .Select(r => r!["instanceId"]!.GetValue<string>()).ToList();
        await ForEachAsync(instances, id =>
        {
            var resumed = cli.Mdiflow(_ws.Root, "resume", id, "--store", _ws.Store);
            resumed.ExitCode.Should().Be(0, $"instance {id} must recover: {resumed}");
        });

        var effects = _ws.Lines("effects.log").GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var invocations = _ws.Lines("invocations.log").Select(l => l.Split(' ')).GroupBy(p => $"{p[0]} {p[1]}").ToDictionary(g => g.Key, g => g.Count());
        await ForEachAsync(instances, id =>
        {
            var show = Workspace.Json(cli.Mdiflow(_ws.Root, "show", id, "--json", "--store", _ws.Store));
            show["status"]!.GetValue<string>().Should().Be("completed", $"instance {id} must be complete");
            foreach (var step in show["steps"]!.AsArray())
            {
                var key = $"{id} {step!["id"]!.GetValue<string>()}";
                effects.GetValueOrDefault(key).Should().Be(1, $"{key}: its side effect must happen exactly once");
                invocations.GetValueOrDefault(key).Should().BeInRange(1, step["attempts"]!.GetValue<int>(), $"{key}: every invocation is a recorded attempt");
            }

            cli.Mdiflow(_ws.Root, "audit", id, "--verify", "--store", _ws.Store).ExitCode.Should().Be(0, $"the journal of {id} must verify");
        });

        var recoveries = invocations.Values.Sum() - instances.Count * 5;
        log.WriteLine($"Crash harness: {killed} runs killed with SIGKILL ({attempts} started), {instances.Count} instances recovered, {recoveries} interrupted attempts re-run, {clock.Elapsed.TotalSeconds:0} s.");
        instances.Count.Should().BeGreaterThanOrEqualTo(killed, "every killed run had created its instance");
    }

    public void Dispose() => _ws.Dispose();

    private static Task ForEachAsync(IEnumerable<string> ids, Action<string> check) =>
        Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 2 }, (id, _) =>
        {
            check(id);
            return ValueTask.CompletedTask;
        });
}
