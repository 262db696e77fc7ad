using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Windows;

/// <summary>What a console program printed.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
internal sealed record CommandOutput(int ExitCode, string Output, string Error);

/// <summary>Runs a system console program (sc.exe, powercfg.exe, w32tm.exe, dsacls.exe, powershell.exe) and captures what it prints.</summary>
internal static class ConsoleCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>The full path of a program in System32, so a program of the same name on PATH is never run instead.</summary>
    public static string System32(string program) => Path.Combine(Environment.SystemDirectory, program);

    /// <summary>
    /// Runs a script with Windows PowerShell 5.1 (<c>-NoProfile -NonInteractive</c>), its output forced to UTF-8.
    /// The script goes in as <c>-EncodedCommand</c>, so no quoting rule can change it.
    /// </summary>
    public static Task<CommandOutput> PowerShellAsync(string script, TimeProvider time, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var full = PowerShellScripts.Prologue + "\n" + script;
        return RunAsync(
            System32(Path.Combine("WindowsPowerShell", "v1.0", "powershell.exe")),
            ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand", Convert.ToBase64String(Encoding.Unicode.GetBytes(full))],
            time,
            cancellationToken,
            environment);
    }

    /// <exception cref="HostFactsException">The program cannot start or does not finish within two minutes.</exception>
    public static async Task<CommandOutput> RunAsync(string file, IReadOnlyList<string> arguments, TimeProvider time, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new HostFactsException($"{Path.GetFileName(file)} could not be started: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = new CancellationTokenSource(Limit, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new HostFactsException($"{Path.GetFileName(file)} did not finish within {Limit.TotalMinutes:0} minutes.");
        }

        return new CommandOutput(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
