using System.Collections.Concurrent;
using System.Diagnostics;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Commands;

/// <summary>Ctrl+C (SIGINT) and SIGTERM sent to real <c>mdiflow</c> processes while a step runs.</summary>
[Collection(CliCollection.Name)]
public sealed class InterruptTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_during_a_running_step_stops_it_exits_130_and_resume_completes_the_instance(string signal)
    {
        var (id, output, step) = await InterruptedRunAsync(signal);

        output.Should().Contain($"The run of {id} stopped: it was interrupted (Ctrl+C or a stop signal). The step in progress was handed back; resume continues it.");
        output.Should().Contain(l => l.Contains($"Continue it:  mdiflow resume {id}", StringComparison.Ordinal));
        Exited(step).Should().BeTrue("the step's process (and its children) were stopped with the run");
        var shown = Workspace.Json(cli.Mdiflow(_ws.Root, "show", id, "--store", _ws.Store, "--json"));
        shown["status"]!.GetValue<string>().Should().Be("ready");

        var resumed = cli.Mdiflow(_ws.Root, "resume", id, "--store", _ws.Store);

        resumed.ExitCode.Should().Be(0, resumed.ToString());
        resumed.Stdout.Should().Contain("recovering an interrupted attempt").And.Contain($"Instance {id} completed.");
    }

    [Fact]
    public async Task SIGTERM_stops_the_worker_with_exit_0_and_hands_its_instance_back()
    {
        var (id, _, _) = await InterruptedRunAsync("INT");
        File.Delete(_ws.PathOf("started"));
        _ws.Write("again", "");
        var output = new ConcurrentQueue<string>();
        using var worker = cli.Start(_ws.Root, null, output.Enqueue, "worker", "--store", _ws.Store);
        await FileSignal.WaitForAsync(_ws.PathOf("started"), TimeSpan.FromSeconds(60));

        Signal(worker, "TERM");
        await ExitAsync(worker, output);

        worker.ExitCode.Should().Be(0, string.Join('\n', output));
        output.Should().Contain("Worker stopped. Any step under way was stopped and its instance handed back: start the worker again (or run 'mdiflow resume ID') to continue.");
        output.Should().Contain($"The run of {id} stopped: it was interrupted (Ctrl+C or a stop signal). The step in progress was handed back; the worker or 'mdiflow resume' continues it.");
        Workspace.Json(cli.Mdiflow(_ws.Root, "show", id, "--store", _ws.Store, "--json"))["status"]!.GetValue<string>().Should().Be("ready");
    }

    /// <summary>Runs the blocking workflow, sends <paramref name="signal"/> once its step runs, and returns the instance, the output and the step's process.</summary>
    private async Task<(string Id, ConcurrentQueue<string> Output, int Step)> InterruptedRunAsync(string signal)
    {
        var output = new ConcurrentQueue<string>();
        using var run = cli.Start(_ws.Root, null, output.Enqueue, "run", Workflow(), "--store", _ws.Store);
        await FileSignal.WaitForAsync(_ws.PathOf("started"), TimeSpan.FromSeconds(60));
        var step = StepProcess();

        Signal(run, signal);
        await ExitAsync(run, output);

        run.ExitCode.Should().Be(130, string.Join('\n', output));
        var id = Workspace.Json(cli.Mdiflow(_ws.Root, "list", "--store", _ws.Store, "--json"))[0]!["instanceId"]!.GetValue<string>();
        return (id, output, step);
    }

    /// <summary>
    /// One step that marks that it started and then blocks until it is killed; run again after an interruption
    /// (the file is there), it completes at once. The 'again' file makes a second interruption possible.
    /// </summary>
    private string Workflow() => _ws.Write("block.json", """
        { "id": "block", "steps": [ { "id": "hold", "uses": "process.run", "with": {
            "file": "sh", "arguments": ["-c", "if [ -f started ] && [ ! -f again ]; then exit 0; fi; rm -f again; touch started; exec tail -f /dev/null"] } } ] }
        """);

    /// <summary>The step's blocking process, started in this workspace.</summary>
    private int StepProcess()
    {
        foreach (var process in Process.GetProcessesByName("tail"))
        {
            try
            {
                if (File.ReadAllText($"/proc/{process.Id}/cmdline").Contains("/dev/null", StringComparison.Ordinal)
                    && Path.GetFullPath(new DirectoryInfo($"/proc/{process.Id}/cwd").ResolveLinkTarget(false)!.FullName) == Path.GetFullPath(_ws.Root))
                {
                    return process.Id;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        throw new InvalidOperationException("The step's process is not running.");
    }

    private static bool Exited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        kill.ExitCode.Should().Be(0);
    }

    /// <summary>Waits for the process to exit; one that does not within a minute is described (its output, its children) and killed.</summary>
    private static async Task ExitAsync(Process process, ConcurrentQueue<string> output)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            var children = Run("ps", "--ppid", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", "pid,stat,args");
            var threads = Run("sh", "-c", $"for t in /proc/{process.Id}/task/*; do echo \"$(cat $t/comm) $(cat $t/wchan)\"; done");
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"mdiflow (pid {process.Id}) did not exit within 60 s of the signal.\nIts output:\n{string.Join('\n', output)}\nIts children:\n{children}\nIts threads:\n{threads}");
        }
    }

    private static string Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return text;
    }
}
