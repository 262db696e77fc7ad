using System.Globalization;
using System.Text.Json;
using MdiFlow.Lab.Profiles;
using MdiFlow.Serialization;

namespace MdiFlow.Lab;

/// <summary>
/// The lab's persistent state folder: the simulated server (is the sensor installed, how many installs ran),
/// the simulated tenant (the current access key), installer logs, the key vault and packages.
/// Every process of one rehearsal (the CLI, later resumes, the stand-in setup) reads and writes the same folder.
/// </summary>
internal sealed class LabState
{
    public LabState(string directory) => Directory = Path.GetFullPath(directory);

    public string Directory { get; }

    public string HostDirectory => Path.Combine(Directory, "host");

    public string SensorFile => Path.Combine(HostDirectory, "sensor.json");

    public string InstallCountFile => Path.Combine(HostDirectory, "install-count");

    /// <summary>The auditing configurations applied on this server (mdi.applyAuditing), in order.</summary>
    public string AuditingFile => Path.Combine(HostDirectory, "auditing-applied.json");

    /// <summary>Written by the stand-in setup when it restarts the server in the middle of an install.</summary>
    public string RestartingFile => Path.Combine(HostDirectory, "restarting");

    /// <summary>How many times the simulated server restarted.</summary>
    public string BootCountFile => Path.Combine(HostDirectory, "boot-count");

    /// <summary>A sensor v3.x activated through Graph on this server (no setup ran).</summary>
    public string ActivatedSensorFile => Path.Combine(HostDirectory, "sensor-v3.json");

    /// <summary>Held while the stand-in installs, as Windows Installer's _MSIExecute mutex is.</summary>
    public string InstallLockFile => Path.Combine(HostDirectory, "msiexecute.lock");

    public string DefaultInstallPath => Path.Combine(HostDirectory, "Program Files", "Azure Advanced Threat Protection Sensor");

    /// <summary>The simulated tenant's current key: the server side of the secret, never a log.</summary>
    public string AccessKeyFile => Path.Combine(Directory, "tenant", "deployment-access-key");

    /// <summary>The proxy's <c>user:password</c>, for a <c>file:</c> secret reference (the profile's own credentials).</summary>
    public string ProxyCredentialFile => Path.Combine(Directory, "tenant", "proxy-credential");

    public string LogDirectory => Path.Combine(Directory, "logs");

    public string KeyVaultDirectory => Path.Combine(Directory, "keys");

    public string PackagesDirectory => Path.Combine(Directory, "packages");

    public string RunsDirectory => Path.Combine(Directory, "runs");

    /// <summary>What rehearsed activities write (they never write outside it).</summary>
    public string SandboxDirectory => Path.Combine(Directory, "sandbox");

    private string ProfileMarkerFile => Path.Combine(Directory, "profile");

    private string PortsFile => Path.Combine(Directory, "ports");

    /// <summary>Creates the folder for <paramref name="profile"/> on first use; a later profile takes the folder over as it is.</summary>
    public void Initialise(LabProfile profile)
    {
        foreach (var folder in new[] { HostDirectory, Path.GetDirectoryName(AccessKeyFile)!, LogDirectory, KeyVaultDirectory, PackagesDirectory, RunsDirectory, SandboxDirectory })
        {
            System.IO.Directory.CreateDirectory(folder);
        }

        if (File.Exists(ProfileMarkerFile))
        {
            // The same simulated server under another profile: the operator fixed the rehearsed cause. What the
            // server already holds (an installed sensor, the access key its vault was given, the lab's ports) stays.
            WriteAtomically(ProfileMarkerFile, profile.Name);
            return;
        }

        WriteAccessKey(profile.Tenant.DeploymentAccessKey);
        if (profile.Sensor is { Installed: true } sensor)
        {
            WriteSensor(new InstalledSensor { Installation = sensor });
        }

        WriteAtomically(ProfileMarkerFile, profile.Name);
    }

    /// <summary>The ports the lab's servers last listened on (zeros when none), so a restarted lab can keep its addresses.</summary>
    public LabPorts ReadPorts()
    {
        var ports = File.Exists(PortsFile) ? File.ReadAllText(PortsFile).Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        int At(int index) => index < ports.Length && int.TryParse(ports[index], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : 0;
        return new LabPorts(At(0), At(1), At(2), At(3));
    }

    public void WritePorts(LabPorts ports) =>
        WriteAtomically(PortsFile, string.Create(CultureInfo.InvariantCulture, $"{ports.Graph} {ports.SensorApi} {ports.Proxy} {ports.Package}"));

    public string ReadAccessKey() => File.ReadAllText(AccessKeyFile).Trim();

    public void WriteProxyCredential(string credential) =>
        WriteAtomically(ProxyCredentialFile, credential, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    public void WriteAccessKey(string key) => WriteAtomically(AccessKeyFile, key, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    public InstalledSensor? ReadSensor() =>
        File.Exists(SensorFile) ? JsonSerializer.Deserialize<InstalledSensor>(File.ReadAllText(SensorFile), MdiFlowJson.Options) : null;

    public void WriteSensor(InstalledSensor sensor) =>
        WriteAtomically(SensorFile, JsonSerializer.Serialize(sensor, MdiFlowJson.Options));

    public ActivatedSensor? ReadActivatedSensor() =>
        File.Exists(ActivatedSensorFile) ? JsonSerializer.Deserialize<ActivatedSensor>(File.ReadAllText(ActivatedSensorFile), MdiFlowJson.Options) : null;

    public void WriteActivatedSensor(ActivatedSensor sensor) =>
        WriteAtomically(ActivatedSensorFile, JsonSerializer.Serialize(sensor, MdiFlowJson.Options));

    public IReadOnlyList<string> ReadAppliedAuditing() =>
        File.Exists(AuditingFile) ? JsonSerializer.Deserialize<List<string>>(File.ReadAllText(AuditingFile), MdiFlowJson.Options) ?? [] : [];

    public void AddAppliedAuditing(IEnumerable<string> configurations) =>
        WriteAtomically(AuditingFile, JsonSerializer.Serialize(ReadAppliedAuditing().Concat(configurations).Distinct(StringComparer.Ordinal).ToList(), MdiFlowJson.Options));

    /// <summary>The server restarted: the restart marker goes, the boot counter grows.</summary>
    public int CompleteRestart()
    {
        File.Delete(RestartingFile);
        var count = (File.Exists(BootCountFile) ? int.Parse(File.ReadAllText(BootCountFile).Trim(), CultureInfo.InvariantCulture) : 0) + 1;
        WriteAtomically(BootCountFile, count.ToString(CultureInfo.InvariantCulture));
        return count;
    }

    public int ReadBootCount() =>
        File.Exists(BootCountFile) ? int.Parse(File.ReadAllText(BootCountFile).Trim(), CultureInfo.InvariantCulture) : 0;

    public void MarkRestarting() => WriteAtomically(RestartingFile, "the stand-in setup restarted the server");

    public int ReadInstallCount() =>
        File.Exists(InstallCountFile) ? int.Parse(File.ReadAllText(InstallCountFile).Trim(), CultureInfo.InvariantCulture) : 0;

    /// <summary>Adds one install; callers hold <see cref="InstallLockFile"/>.</summary>
    public int IncrementInstallCount()
    {
        var count = ReadInstallCount() + 1;
        WriteAtomically(InstallCountFile, count.ToString(CultureInfo.InvariantCulture));
        return count;
    }

    private static void WriteAtomically(string path, string text, UnixFileMode? mode = null)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (mode is { } unixMode && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = unixMode;
        }

        using (var writer = new StreamWriter(temporary, options))
        {
            writer.Write(text);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>The loopback ports of the lab's Graph, sensor API, proxy and package host.</summary>
internal sealed record LabPorts(int Graph, int SensorApi, int Proxy, int Package);
