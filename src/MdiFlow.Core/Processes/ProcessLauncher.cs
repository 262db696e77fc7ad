using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace MdiFlow.Processes;

/// <summary>
/// The one way MdiFlow and its plugins run a program: start it, feed and close its input, drain both output pipes while
/// it runs (so it never blocks on a full pipe), wait for it, and on a timeout or a cancellation kill it together with
/// every process it started.
/// </summary>
/// <remarks>
/// The races are settled here once: a program that exits at the moment it is killed is not an error; a program that
/// exits while a timeout fires counts as finished; pipes held open by a program it left behind are waited for at most
/// <see cref="ProcessLaunch.PipeGrace"/>. A cancellation always kills the tree and ends in
/// <see cref="OperationCanceledException"/>, even when the program had just finished: the caller was asked to stop.
/// </remarks>
public static class ProcessLauncher
{
    /// <summary>Runs the program to its end (or its timeout) and returns how it ended.</summary>
    /// <exception cref="Win32Exception">It could not be started (<see cref="Win32Exception.NativeErrorCode"/> 2 or 3: not found).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the program and its children were killed.</exception>
    public static async Task<ProcessOutcome> RunAsync(ProcessLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        cancellationToken.ThrowIfCancellationRequested();
        using var process = new Process { StartInfo = StartInfo(launch) };
        process.Start();

        var stdout = new OutputTail(launch.KeepCharacters);
        var stderr = new OutputTail(launch.KeepCharacters);
        var pipes = Task.WhenAll(stdout.FillAsync(process.StandardOutput), stderr.FillAsync(process.StandardError));
        using var deadline = launch.Timeout is { } limit ? new CancellationTokenSource(limit, launch.Time) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        await FeedAsync(process, launch.Stdin, stop.Token).ConfigureAwait(false);

        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Exited on its own just as the timeout fired: it finished. A cancellation stops it whatever it did.
            timedOut = cancellationToken.IsCancellationRequested || !process.HasExited;
            if (timedOut)
            {
                await KillTreeAsync(process).ConfigureAwait(false);
            }
        }

        await DrainAsync(pipes, launch).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return new ProcessOutcome(process.ExitCode, stdout.ToString(), stderr.ToString(), timedOut);
    }

    private static ProcessStartInfo StartInfo(ProcessLaunch launch)
    {
        var info = new ProcessStartInfo(launch.File)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = launch.WorkingDirectory ?? "",
        };
        foreach (var argument in launch.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in launch.Environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>Writes the input while the output is read, so a program that talks before it listens cannot block, then closes it.</summary>
    private static async Task FeedAsync(Process process, string? stdin, CancellationToken cancellationToken)
    {
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited (or closed its input) before reading all of it; its exit code tells the rest.
        }
        catch (OperationCanceledException)
        {
            // Timed out or cancelled while it would not read: the wait that follows kills it.
        }
    }

    private static async Task KillTreeAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own meanwhile.
        }
        catch (Win32Exception)
        {
            // Part of the tree was already gone.
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task DrainAsync(Task pipes, ProcessLaunch launch)
    {
        try
        {
            await pipes.WaitAsync(launch.PipeGrace, launch.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A program it started still holds the pipes; what was read so far is kept.
        }
    }
}
