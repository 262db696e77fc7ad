using System.Globalization;

namespace MdiFlow.Lab.StandIn;

/// <summary>
/// The setup's three logs, named and formatted as troubleshooting-using-logs names them: the bootstrapper (burn) log
/// <c>Azure Advanced Threat Protection Sensor_YYYYMMDDhhmmss.log</c>, the MSI package log
/// <c>Azure Advanced Threat Protection Sensor_YYYYMMDDhhmmss_001_MsiPackage.log</c> and the deployer log
/// <c>Azure Advanced Threat Protection Microsoft.Tri.Sensor.Deployment.Deployer_YYYYMMDDhhmmss.log</c>. Every line passes through a
/// filter that masks the secrets it was given, so no key or password reaches a log.
/// </summary>
internal sealed class SetupLogs
{
    public const string Product = "Azure Advanced Threat Protection Sensor";

    private readonly TimeProvider _time;
    private readonly IReadOnlyList<string> _secrets;
    private readonly string _process = Environment.ProcessId.ToString("X4", CultureInfo.InvariantCulture);

    public SetupLogs(string directory, TimeProvider time, IEnumerable<string> secrets)
    {
        _time = time;
        _secrets = [.. secrets.Where(s => s.Length >= 4).Distinct(StringComparer.Ordinal)];
        Directory.CreateDirectory(directory);
        var stamp = time.GetLocalNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        BundleLog = Path.Combine(directory, $"{Product}_{stamp}.log");
        MsiLog = Path.Combine(directory, $"{Product}_{stamp}_001_MsiPackage.log");
        DeployerLog = Path.Combine(directory, $"Azure Advanced Threat Protection Microsoft.Tri.Sensor.Deployment.Deployer_{stamp}.log");
    }

    public string BundleLog { get; }

    public string MsiLog { get; }

    public string DeployerLog { get; }

    /// <summary>A burn line: <c>[PID:TID][2024-06-12T08:30:15]i001: message</c>; <paramref name="level"/> is i, w or e.</summary>
    public void Bundle(char level, int code, string message) =>
        Append(BundleLog, $"[{_process}:{Environment.CurrentManagedThreadId:X4}][{_time.GetLocalNow():yyyy-MM-ddTHH:mm:ss}]{level}{code:000}: {message}");

    /// <summary>A deployer line (UTC, NLog layout), echoed into the bootstrapper log as burn does.</summary>
    public void Deployer(string level, string component, string message)
    {
        var line = $"{_time.GetUtcNow():yyyy-MM-dd HH:mm:ss.ffff} {level,-5} {component} {message}";
        Append(DeployerLog, line);
        Bundle('i', 0, line);
    }

    /// <summary>The MSI package's verbose log for an install that ends with <paramref name="status"/> (0 or 1603).</summary>
    public void Msi(string setupPath, string version, int status)
    {
        var now = _time.GetLocalNow();
        var clock = now.ToString("HH:mm:ss:fff", CultureInfo.InvariantCulture);
        var outcome = status == 0 ? "Installation completed successfully" : "Installation failed";
        var server = $"MSI (s) ({_process[^2..]}:1C) [{clock}]:";
        string[] lines =
        [
            $"=== Verbose logging started: {now:M/d/yyyy  H:mm:ss}  Build type: SHIP UNICODE 5.00.10011.00  Calling process: {setupPath} ===",
            $"Action start {now:HH:mm:ss}: InstallFinalize.",
            .. status == 0 ? Array.Empty<string>() : [$"CustomAction RegisterSensor returned actual error code {status} (note this may not be 100% accurate if translation happened inside sandbox)"],
            $"Action ended {now:HH:mm:ss}: InstallFinalize. Return value {(status == 0 ? 1 : 3)}.",
            $"{server} Product: {Product} -- {outcome}.",
            $"{server} Windows Installer {(status == 0 ? "installed" : "failed to install")} the product. Product Name: {Product}. Product Version: {version}. Product Language: 1033. Manufacturer: Microsoft Corporation. Installation success or error status: {status}.",
            $"{server} MainEngineThread is returning {status}",
            $"=== Verbose logging stopped: {now:M/d/yyyy  H:mm:ss} ===",
        ];
        foreach (var line in lines)
        {
            Append(MsiLog, line);
        }
    }

    private void Append(string path, string line)
    {
        foreach (var secret in _secrets)
        {
            line = line.Replace(secret, "*****", StringComparison.Ordinal);
        }

        File.AppendAllText(path, line + Environment.NewLine);
    }
}
