using System.Diagnostics;

namespace MdiFlow.Benchmarks.Harness;

/// <summary>A finished child process: its exit code, output and whole-process wall time.</summary>
internal sealed record ChildResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public ChildResult EnsureSuccess(string what) => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"{what} exited with {ExitCode}:\n{Stdout}\n{Stderr}");
}

/// <summary>Runs a process to completion, timing it from start to exit.</summary>
internal static class ChildProcess
{
    public static async Task<ChildResult> RunAsync(string file, IEnumerable<string> args, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("MDIFLOW_STORE");
        info.Environment.Remove("MDIFLOW_POLICY");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} ran longer than {timeout}.");
        }

        clock.Stop();
        return new ChildResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), clock.Elapsed);
    }
}
