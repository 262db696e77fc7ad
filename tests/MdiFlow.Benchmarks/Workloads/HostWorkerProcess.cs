using System.Diagnostics;

namespace MdiFlow.Benchmarks.Workloads;

/// <summary>
/// One host of a shared store as its own process: the test worker program (the library's hosted worker with the host
/// activities, built beside this harness), its store and key in its environment, never its arguments.
/// </summary>
internal sealed class HostWorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly string _readyLine;

    private HostWorkerProcess(Process process, string readyLine)
    {
        _process = process;
        _readyLine = readyLine;
    }

    public static HostWorkerProcess Start(string connectionString, string keyFile, string host, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MdiFlow.PostgreSql.HostWorker.dll"));
        info.ArgumentList.Add("--host");
        info.ArgumentList.Add(host);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["MDIFLOW_TEST_STORE"] = connectionString;
        info.Environment["MDIFLOW_TEST_KEY"] = keyFile;
        var process = new Process { StartInfo = info };
        // With NOTIFY it is ready once it listens; polling alone, once it started (its first pass follows at once).
        var worker = new HostWorkerProcess(process, args.Contains("--no-listen") ? "MdiFlow worker started" : "Listening for wake-ups");
        process.OutputDataReceived += (_, e) => worker.Line(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Line(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Completes once the worker listens for wake-ups (polling alone: once it started).</summary>
    public Task Ready => _listening.Task;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private void Line(string? line)
    {
        if (line is not null && line.Contains(_readyLine, StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }
}
