using System.ComponentModel;
using System.Diagnostics;

namespace MdiFlow.Plugins.DefenderForIdentity.Host;

/// <summary>
/// Runs the sensor's setup program directly (no shell), each argument added to
/// <see cref="ProcessStartInfo.ArgumentList"/> so .NET quotes it the way Windows programs parse it.
/// </summary>
/// <remarks>
/// The setup writes its logs to <c>%TEMP%</c>; the child's TEMP and TMP are set to
/// <see cref="SetupInvocation.LogDirectory"/> so the logs land where the activity reads them.
/// When the step is cancelled the setup's process tree is killed (the Windows Installer service rolls back its own part).
/// </remarks>
internal sealed class ProcessSetupLauncher : ISetupLauncher
{
    public async ValueTask<int> RunAsync(SetupInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var startInfo = new ProcessStartInfo(invocation.SetupPath)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = Path.GetDirectoryName(invocation.SetupPath) ?? "",
        };
        foreach (var argument in invocation.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Directory.CreateDirectory(invocation.LogDirectory);
        startInfo.Environment["TEMP"] = invocation.LogDirectory;
        startInfo.Environment["TMP"] = invocation.LogDirectory;

        cancellationToken.ThrowIfCancellationRequested();
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new HostFactsException($"The setup '{invocation.SetupPath}' could not be started: {ex.Message}", ex);
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited on its own meanwhile.
            }

            throw;
        }

        return process.ExitCode;
    }
}
