using MdiFlow.Lab.Profiles;

namespace MdiFlow.Lab.StandIn;

/// <summary>
/// The lab's stand-in for "Azure ATP sensor Setup.exe". The CLI exposes it as the hidden command
/// <c>mdiflow lab-setup</c>; the lab's setup launcher starts it as a child process with the setup's own
/// arguments, and tells it where the lab is through environment variables.
/// </summary>
/// <remarks>
/// It behaves as the documented setup does: it takes <c>/quiet</c>, <c>NetFrameworkCommandLineArguments="/q"</c>,
/// <c>AccessKeyFile=PATH</c> or <c>AccessKey=...</c>, <c>InstallationPath=</c>, <c>LogsPath=</c>,
/// <c>DelayedUpdate=true</c>, <c>ProxyUrl=</c>, <c>ProxyUserName=</c>, <c>ProxyUserPassword=</c>, and refuses a
/// parameter with a leading slash ("Option /AccessKey is unknown"); it refuses to run from inside the zip; it
/// registers with the lab's sensor API (through <c>ProxyUrl</c>), so a proxy that refuses it ends in 1602 with
/// <c>validateCreateSensorResult=LicenseInvalid</c> in the deployer log, and no connectivity ends in 0x80070643;
/// a wrong key, a tenant without a Defender for Identity licence, or a profile that says so also end in 1602.
/// It writes the bootstrapper, MSI and deployer logs, with the real names, to <c>LogsPath</c> or %TEMP%, and
/// never writes a key or password into them. On success it records the sensor as installed in the lab state,
/// with AATPSensor (LocalService) and AATPSensorUpdater (LocalSystem) running, and counts the install.
/// The lab adds one rule of its own: the access key must never be on the command line. If the key is among the
/// process's arguments it stops with exit code 87 and says so in its log; an environment variable holding it
/// earns a warning.
/// </remarks>
public static class SetupStandIn
{
    /// <summary>Runs the stand-in setup.</summary>
    /// <param name="args">The setup's arguments, exactly as the real setup would receive them.</param>
    /// <param name="output">Where to write what the setup would show the operator (null: nowhere).</param>
    /// <param name="timeProvider">The clock for log names and lines (null: the system clock).</param>
    /// <param name="cancellationToken">Stops the registration call.</param>
    /// <returns>
    /// The setup's exit code: 0, 3010 (reboot required), 1602 (registration refused), 0x80070643 (MSI failed),
    /// 87 (the key is on the command line), 0x80070057 (an unknown option), 0x80070002 (files missing),
    /// 1618 (another install runs) or 1 (not started by the lab). A Unix process passes on only the low 8 bits,
    /// so the full code is also written where the lab's launcher reads it.
    /// </returns>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= TextWriter.Null;
        var context = StandInContext.FromEnvironment(out var missing);
        if (context is null)
        {
            await output.WriteLineAsync(
                $"lab-setup is the rehearsal lab's stand-in for the sensor setup; the lab starts it, with {string.Join(", ", missing.DefaultIfEmpty(StandInVariables.SensorApi))} set. Run a workflow with --lab instead.").ConfigureAwait(false);
            return SetupExitCodes.NotInLab;
        }

        int code;
        try
        {
            code = await new SetupRun(context, args, output, timeProvider ?? TimeProvider.System).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LabProfileException or IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"The lab's stand-in setup cannot run: {ex.Message}").ConfigureAwait(false);
            code = SetupExitCodes.NotInLab;
        }

        if (context.ResultFile is { } resultFile)
        {
            await File.WriteAllTextAsync(resultFile, code.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None).ConfigureAwait(false);
        }

        return code;
    }
}
