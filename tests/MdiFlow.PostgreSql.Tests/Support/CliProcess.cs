using System.Diagnostics;
using System.Text;

namespace MdiFlow.PostgreSql.Tests.Support;

/// <summary>
/// A long-running <c>mdiflow</c> process (a worker), seeing <see cref="SystemKey"/> as the host's key: its output is
/// kept line by line, a test waits (bounded) for a line, and the process can be killed with SIGKILL at any moment.
/// </summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _waiters = [];

    private CliProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>mdiflow ARGS</c> with <paramref name="environment"/> added (the password goes in PGPASSWORD, never in the arguments).</summary>
    public static CliProcess Start(string workingDirectory, SystemKey key, IDictionary<string, string> environment, params string[] args) =>
        // exec: the process killed is mdiflow itself, not a shell around it.
        Start(workingDirectory, key.Wrap(["dotnet", Cli.Dll, .. args]), environment);

    /// <summary>
    /// Starts one host of a shared store: the test worker program (the library's hosted worker with the host
    /// activities) as <c>--host</c> <paramref name="host"/>, its store and key in its environment, not its arguments.
    /// </summary>
    public static CliProcess StartHostWorker(string connectionString, string keyFile, string host, params string[] args) =>
        Start(AppContext.BaseDirectory, ["dotnet", Path.Combine(AppContext.BaseDirectory, "MdiFlow.PostgreSql.HostWorker.dll"), "--host", host, .. args],
            new Dictionary<string, string> { ["MDIFLOW_TEST_STORE"] = connectionString, ["MDIFLOW_TEST_KEY"] = keyFile, ["MDIFLOW_TEST_POLICY"] = SharedStoreHost.PolicyJson });

    private static CliProcess Start(string workingDirectory, string[] command, IDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(command[0]) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["MDIFLOW_STORE"] = "";
        info.Environment["MDIFLOW_POLICY"] = "";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Line(e.Data);
        process.ErrorDataReceived += (_, e) => cli.Line(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> was written (including before the call), at most <paramref name="limit"/>.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan limit)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            _waiters.Add((line => line.Contains(text, StringComparison.Ordinal), seen));
        }

        try
        {
            await seen.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{text}' did not appear within {limit}. Output so far:\n{Output}");
        }
    }

    /// <summary>SIGKILL: the process ends at once, in the middle of whatever it does.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Line(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
