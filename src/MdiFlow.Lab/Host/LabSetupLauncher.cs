using System.ComponentModel;
using System.Globalization;
using MdiFlow.Lab.StandIn;
using MdiFlow.Processes;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Lab.Host;

/// <summary>
/// Runs the stand-in setup as a real child process: the configured stand-in command, then exactly the
/// invocation's arguments. The lab's whereabouts go in environment variables, and the log directory becomes
/// the child's TEMP/TMP/TMPDIR, where the real setup writes its logs.
/// </summary>
/// <remarks>
/// When the stand-in restarts the simulated server in the middle of the install (profile outcome
/// <c>restartDuringInstall</c>), everything on that server stops: <paramref name="restart"/> cancels
/// <see cref="LabEnvironment.ServerRestarting"/> and the run gets the resulting <see cref="OperationCanceledException"/>,
/// as a worker on a restarting server is stopped.
/// </remarks>
internal sealed class LabSetupLauncher(IReadOnlyList<string> standInCommand, LabState state, string profile, Uri sensorApi, Func<OperationCanceledException> restart) : ISetupLauncher
{
    public async ValueTask<int> RunAsync(SetupInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        Directory.CreateDirectory(invocation.LogDirectory);
        Directory.CreateDirectory(state.RunsDirectory);
        var resultFile = Path.Combine(state.RunsDirectory, Guid.NewGuid().ToString("N") + ".exit");
        var environment = new Dictionary<string, string>
        {
            [StandInVariables.State] = state.Directory,
            [StandInVariables.Profile] = profile,
            [StandInVariables.SetupPath] = invocation.SetupPath,
            [StandInVariables.SensorApi] = sensorApi.ToString(),
            [StandInVariables.ResultFile] = resultFile,
        };
        foreach (var temp in new[] { "TEMP", "TMP", "TMPDIR" })
        {
            environment[temp] = invocation.LogDirectory;
        }

        ProcessOutcome outcome;
        try
        {
            // The setup's own output is not the result (the exit code and the logs are); the launcher drains it so the child never blocks.
            outcome = await ProcessLauncher.RunAsync(
                new ProcessLaunch { File = standInCommand[0], Arguments = [.. standInCommand.Skip(1), .. invocation.Arguments], Environment = environment },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"The lab cannot start its stand-in setup '{standInCommand[0]}' ({ex.Message}). Check LabOptions.StandInCommand.", ex);
        }

        var code = FullExitCode(resultFile, outcome.ExitCode);
        if (File.Exists(state.RestartingFile))
        {
            throw restart();
        }

        return code;
    }

    // A Unix process passes on only the low 8 bits of its exit code (1602 arrives as 66): the stand-in writes
    // the full code to a file, which is trusted when its low byte agrees with what the process returned.
    private static int FullExitCode(string resultFile, int processExitCode)
    {
        if (!File.Exists(resultFile))
        {
            return processExitCode;
        }

        var text = File.ReadAllText(resultFile).Trim();
        File.Delete(resultFile);
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) && (code & 0xFF) == (processExitCode & 0xFF)
            ? code
            : processExitCode;
    }
}
