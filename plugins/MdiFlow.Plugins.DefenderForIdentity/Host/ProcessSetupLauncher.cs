using System.ComponentModel;
using MdiFlow.Processes;

namespace MdiFlow.Plugins.DefenderForIdentity.Host;

/// <summary>
/// Runs the sensor's setup program directly (no shell) through Core's <see cref="ProcessLauncher"/>, each argument
/// passed as one so .NET quotes it the way Windows programs parse it.
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
        Directory.CreateDirectory(invocation.LogDirectory);
        try
        {
            var outcome = await ProcessLauncher.RunAsync(
                new ProcessLaunch
                {
                    File = invocation.SetupPath,
                    Arguments = invocation.Arguments,
                    WorkingDirectory = Path.GetDirectoryName(invocation.SetupPath),
                    Environment = new Dictionary<string, string> { ["TEMP"] = invocation.LogDirectory, ["TMP"] = invocation.LogDirectory },
                },
                cancellationToken).ConfigureAwait(false);
            return outcome.ExitCode;
        }
        catch (Win32Exception ex)
        {
            throw new HostFactsException($"The setup '{invocation.SetupPath}' could not be started: {ex.Message}", ex);
        }
    }
}
