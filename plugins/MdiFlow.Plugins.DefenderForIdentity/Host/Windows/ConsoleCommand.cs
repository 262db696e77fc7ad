using System.ComponentModel;
using System.Text;
using MdiFlow.Processes;

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
        ProcessOutcome outcome;
        try
        {
            outcome = await ProcessLauncher.RunAsync(
                new ProcessLaunch { File = file, Arguments = arguments, Environment = environment, Timeout = Limit, KeepCharacters = int.MaxValue, Time = time },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            throw new HostFactsException($"{Path.GetFileName(file)} could not be started: {ex.Message}", ex);
        }

        return outcome.TimedOut
            ? throw new HostFactsException($"{Path.GetFileName(file)} did not finish within {Limit.TotalMinutes:0} minutes.")
            : new CommandOutput(outcome.ExitCode, outcome.Output, outcome.Error);
    }
}
