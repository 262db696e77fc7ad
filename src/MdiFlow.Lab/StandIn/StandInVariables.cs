namespace MdiFlow.Lab.StandIn;

/// <summary>
/// The environment variables through which the lab's setup launcher tells the stand-in setup where the lab is.
/// None holds a secret: the access key reaches the stand-in only through <c>AccessKeyFile=</c>.
/// </summary>
internal static class StandInVariables
{
    /// <summary>The lab state folder.</summary>
    public const string State = "MDIFLOW_LAB_STATE";

    /// <summary>The host profile (a file, or a built-in profile's name).</summary>
    public const string Profile = "MDIFLOW_LAB_PROFILE";

    /// <summary>The setup program the activity asked to run (the extracted "Azure ATP sensor Setup.exe").</summary>
    public const string SetupPath = "MDIFLOW_LAB_SETUP";

    /// <summary>The lab sensor API's root, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public const string SensorApi = "MDIFLOW_LAB_SENSOR_API";

    /// <summary>A file that receives the full exit code (a Unix process passes on only its low 8 bits).</summary>
    public const string ResultFile = "MDIFLOW_LAB_RESULT";

    /// <summary>
    /// A file: once the sensor is installed, the stand-in waits until this file exists before it exits, so a
    /// rehearsal can kill the run between the install and its commit (the crash the installer's check-first
    /// recovery exists for).
    /// </summary>
    public const string HoldAfterInstall = "MDIFLOW_LAB_HOLD_AFTER_INSTALL";
}
