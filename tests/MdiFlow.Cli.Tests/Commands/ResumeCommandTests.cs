using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class ResumeCommandTests(PublishedCli cli) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Workspace _ws = new();

    [Fact]
    public async Task After_a_sigkill_during_step_three_resume_completes_without_rerunning_steps_one_and_two()
    {
        var workflow = _ws.Write("crash.json", """
            { "id": "crash", "steps": [
              { "id": "one", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo ran >> one.count"] } },
              { "id": "two", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo ran >> two.count"] } },
              { "id": "three", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c",
                  "echo \"$MDIFLOW_ATTEMPT $MDIFLOW_RECOVERY\" >> three.log; touch three.started; while [ ! -f release ]; do sleep 0.02; done"] } },
              { "id": "four", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo ran >> four.count"] } } ] }
            """);

        using (var running = cli.Start(_ws.Root, "run", workflow, "--store", _ws.Store))
        {
            await FileSignal.WaitForAsync(_ws.PathOf("three.started"), Patience);
            running.Kill(entireProcessTree: true); // SIGKILL: no chance to record anything
            await running.WaitForExitAsync();
        }

        var id = Workspace.Json(cli.Mdiflow(_ws.Root, "list", "--json", "--store", _ws.Store))[0]!["instanceId"]!.GetValue<string>();
        var show = Workspace.Json(cli.Mdiflow(_ws.Root, "show", id, "--json", "--store", _ws.Store));
        show["status"]!.GetValue<string>().Should().Be("running");
        File.WriteAllText(_ws.PathOf("release"), "");

        var resumed = cli.Mdiflow(_ws.Root, "resume", id, "--store", _ws.Store);

        resumed.ExitCode.Should().Be(0, resumed.ToString());
        resumed.Stdout.Should().Contain("recovering an interrupted attempt");
        _ws.Lines("one.count").Should().HaveCount(1);
        _ws.Lines("two.count").Should().HaveCount(1);
        _ws.Lines("four.count").Should().HaveCount(1);
        _ws.Lines("three.log").Should().Equal("1 false", "2 true");
        var after = Workspace.Json(cli.Mdiflow(_ws.Root, "show", id, "--json", "--store", _ws.Store));
        after["steps"]!.AsArray().Select(s => s!["attempts"]!.GetValue<int>()).Should().Equal(1, 1, 2, 1);
        cli.Mdiflow(_ws.Root, "audit", id, "--verify", "--store", _ws.Store).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Two_processes_resuming_one_instance_at_once_let_exactly_one_run_it_and_the_other_exits_5()
    {
        var workflow = _ws.Write("race.json", """
            { "id": "race", "steps": [
              { "id": "first", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo ran >> first.count"] } },
              { "id": "held", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c",
                  "test -f fixed || exit 1; echo ran >> held.count; touch held.started; while [ ! -f release ]; do sleep 0.02; done"] } } ] }
            """);
        var failed = cli.Mdiflow(_ws.Root, "run", workflow, "--json", "--store", _ws.Store);
        failed.ExitCode.Should().Be(20, failed.ToString());
        var id = Workspace.Json(failed)["instanceId"]!.GetValue<string>();
        File.WriteAllText(_ws.PathOf("fixed"), "");

        var racers = new[] { cli.Start(_ws.Root, "resume", id, "--store", _ws.Store), cli.Start(_ws.Root, "resume", id, "--store", _ws.Store) };
        var firstToExit = await Task.WhenAny(racers.Select(async p => { await p.WaitForExitAsync(); return p; }));
        var loser = await firstToExit;
        loser.ExitCode.Should().Be(5, "the process that did not get the instance must report a conflict");
        await FileSignal.WaitForAsync(_ws.PathOf("held.started"), Patience);
        File.WriteAllText(_ws.PathOf("release"), "");
        var winner = racers.Single(p => p != loser);
        await winner.WaitForExitAsync().WaitAsync(Patience);

        winner.ExitCode.Should().Be(0);
        _ws.Lines("held.count").Should().HaveCount(1);
        _ws.Lines("first.count").Should().HaveCount(1);
        foreach (var p in racers)
        {
            p.Dispose();
        }
    }

    public void Dispose() => _ws.Dispose();
}
