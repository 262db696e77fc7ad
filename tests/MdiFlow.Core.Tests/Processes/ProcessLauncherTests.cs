using System.ComponentModel;
using System.Diagnostics;
using MdiFlow.Processes;
using MdiFlow.Testing;

namespace MdiFlow.Core.Tests.Processes;

/// <summary>The one process launcher, with real programs (sh and the tools every Linux host has).</summary>
public sealed class ProcessLauncherTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Output_input_environment_and_exit_code_come_back_with_each_stream_kept_to_its_tail()
    {
        var outcome = await ProcessLauncher.RunAsync(
            Shell("""read line; printf '%s' "$line-$GREETING" ; yes 0123456789 2>/dev/null | head -c 100000; echo oops >&2; exit 3""") with
            {
                Stdin = "hello\n",
                Environment = new Dictionary<string, string> { ["GREETING"] = "world" },
                KeepCharacters = 50,
            },
            CancellationToken.None);

        outcome.ExitCode.Should().Be(3);
        outcome.TimedOut.Should().BeFalse();
        outcome.Output.Should().HaveLength(50).And.EndWith("\n0123456789").And.NotContain("hello", "only the last 50 characters are kept");
        outcome.Error.Should().Be("oops");
        (await ProcessLauncher.RunAsync(Shell("""read line; printf '%s' "$line-$GREETING" """) with { Stdin = "hello\n", Environment = new Dictionary<string, string> { ["GREETING"] = "world" } }, CancellationToken.None))
            .Output.Should().Be("hello-world");
    }

    [Fact]
    public async Task A_program_that_writes_more_than_a_pipe_holds_before_reading_its_input_does_not_block()
    {
        var outcome = await ProcessLauncher.RunAsync(Shell("head -c 1000000 /dev/zero | tr '\\0' x; cat > /dev/null") with { Stdin = new string('y', 1_000_000) }, CancellationToken.None);

        (outcome.ExitCode, outcome.Output.Length).Should().Be((0, 4096));
    }

    [Fact]
    public async Task A_timeout_kills_the_program_and_every_process_it_started()
    {
        var pids = _folder.Combine("pids");
        var outcome = await ProcessLauncher.RunAsync(
            Shell($"tail -f /dev/null & echo $! > '{pids}'; echo started; exec tail -f /dev/null") with { Timeout = TimeSpan.FromMilliseconds(500), PipeGrace = TimeSpan.FromSeconds(10) },
            CancellationToken.None);

        outcome.TimedOut.Should().BeTrue();
        outcome.Output.Should().Be("started");
        Gone(int.Parse(File.ReadAllText(pids).Trim(), System.Globalization.CultureInfo.InvariantCulture)).Should().BeTrue("the child it started in the background was killed with it");
    }

    [Fact]
    public async Task A_cancellation_kills_the_tree_and_ends_in_OperationCanceledException()
    {
        var started = _folder.Combine("started");
        using var cancel = new CancellationTokenSource();
        var run = ProcessLauncher.RunAsync(Shell($"tail -f /dev/null & echo $! > '{started}.tmp'; mv '{started}.tmp' '{started}'; exec tail -f /dev/null"), cancel.Token);
        await WaitForFileAsync(started);
        var child = int.Parse(File.ReadAllText(started).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();
        Gone(child).Should().BeTrue();
    }

    [Fact]
    public async Task Pipes_a_program_leaves_open_in_a_detached_child_are_waited_for_only_the_grace_time()
    {
        var outcome = await ProcessLauncher.RunAsync(
            Shell("setsid sh -c 'echo late; exec tail -f /dev/null' & echo early; exit 0") with { PipeGrace = TimeSpan.FromMilliseconds(300) },
            CancellationToken.None);

        (outcome.ExitCode, outcome.TimedOut).Should().Be((0, false));
        outcome.Output.Should().Contain("early");
        foreach (var orphan in Process.GetProcessesByName("tail").Where(p => File.ReadAllText($"/proc/{p.Id}/cmdline").Contains("/dev/null", StringComparison.Ordinal) && Parent(p.Id) == 1))
        {
            orphan.Kill();
        }
    }

    [Fact]
    public async Task A_program_that_does_not_exist_is_a_Win32Exception_saying_so()
    {
        var run = () => ProcessLauncher.RunAsync(new ProcessLaunch { File = _folder.Combine("missing") }, CancellationToken.None);

        (await run.Should().ThrowAsync<Win32Exception>()).Which.NativeErrorCode.Should().Be(2);
    }

    private ProcessLaunch Shell(string script) => new() { File = "sh", Arguments = ["-c", script], WorkingDirectory = _folder.Path };

    private static bool Gone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static int Parent(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitForFileAsync(string path)
    {
        var appeared = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!) { EnableRaisingEvents = true };
        watcher.Renamed += (_, e) =>
        {
            if (e.FullPath == path)
            {
                appeared.TrySetResult();
            }
        };
        if (!File.Exists(path))
        {
            await appeared.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
