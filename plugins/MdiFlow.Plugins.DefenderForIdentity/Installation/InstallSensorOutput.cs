namespace MdiFlow.Plugins.DefenderForIdentity.Installation;

/// <summary>The output of <c>mdi.installSensor</c>.</summary>
public sealed record InstallSensorOutput
{
    /// <summary>The setup's exit code: 0, 3010 or 1641; absent when the sensor was already installed and the setup did not run.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Whether the server must restart to finish (3010) or is restarting (1641).</summary>
    public required bool RebootRequired { get; init; }

    /// <summary><c>sensor</c> (domain controller) or <c>standaloneSensor</c>.</summary>
    public required string SensorKind { get; init; }

    /// <summary>Where the sensor is installed.</summary>
    public string? InstallPath { get; init; }

    /// <summary>The installed sensor's version, when known.</summary>
    public string? Version { get; init; }

    /// <summary>True when the sensor was found installed before running the setup, which was then not run again.</summary>
    public required bool AlreadyInstalled { get; init; }

    /// <summary>On recovery: what the interrupted attempt's setup logs show (for example a restart mid-install).</summary>
    public string? PreviousAttempt { get; init; }

    /// <summary>What to know, when anything (a restart to plan, an existing installation).</summary>
    public string? Note { get; init; }
}
