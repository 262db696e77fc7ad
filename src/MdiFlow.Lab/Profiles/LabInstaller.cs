namespace MdiFlow.Lab.Profiles;

/// <summary>How the stand-in setup ends once it has reached the sensor API and validated the access key.</summary>
public sealed record LabInstaller
{
    /// <summary>The outcome.</summary>
    public LabInstallerOutcome Outcome { get; init; } = LabInstallerOutcome.Succeed;

    /// <summary>The sensor version the setup installs.</summary>
    public string SensorVersion { get; init; } = "2.250.18972.18405";
}

/// <summary>How the stand-in setup ends.</summary>
public enum LabInstallerOutcome
{
    /// <summary>Exit code 0; the sensor is installed and its services run.</summary>
    Succeed,

    /// <summary>Exit code 1602 with <c>validateCreateSensorResult=LicenseInvalid</c> in the deployer log: registration refused.</summary>
    LicenseInvalid,

    /// <summary>Exit code 0x80070643: the MSI failed.</summary>
    MsiFailed,

    /// <summary>Exit code 3010: installed, a reboot is required.</summary>
    RebootRequired,

    /// <summary>
    /// The setup installs the sensor, then restarts the server by itself before it can report its exit code (as a silent
    /// install may, <c>norestart</c> notwithstanding): the bundle log ends without its exit code, and the run of MdiFlow on
    /// the server is stopped, to be resumed once the server is back.
    /// </summary>
    RestartDuringInstall,
}
