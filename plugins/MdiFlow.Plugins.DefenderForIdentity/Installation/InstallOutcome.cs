using System.Globalization;
using MdiFlow.Activities;

namespace MdiFlow.Plugins.DefenderForIdentity.Installation;

/// <summary>
/// What the setup's exit code and logs mean. The codes are not documented; these are the ones the
/// documentation's troubleshooting describes: 0 and 3010 (restart needed) succeed; 1602 with
/// <c>validateCreateSensorResult=LicenseInvalid</c> is a refused registration; 0x80070643 is a failed MSI.
/// </summary>
internal static class InstallOutcome
{
    public const int Success = 0;
    public const int SuccessRebootRequired = 3010;
    public const int SuccessRebootInitiated = 1641;
    public const int LicenseInvalidExit = 1602;
    public const int InstallAlreadyRunning = 1618;
    public const uint MsiFailed = 0x80070643;

    /// <summary>Whether the code means the sensor installed.</summary>
    public static bool Succeeded(int exitCode) => exitCode is Success or SuccessRebootRequired or SuccessRebootInitiated;

    /// <summary>Whether the code means the server must restart.</summary>
    public static bool RebootRequired(int exitCode) => exitCode is SuccessRebootRequired or SuccessRebootInitiated;

    /// <summary>The failure a non-success exit code and the logs describe.</summary>
    public static ActivityError Failure(int exitCode, IReadOnlyList<InstallerLog> logs)
    {
        var hex = "0x" + unchecked((uint)exitCode).ToString("X", CultureInfo.InvariantCulture);
        var details = new Dictionary<string, string>
        {
            ["exitCode"] = exitCode.ToString(CultureInfo.InvariantCulture),
            ["exitCodeHex"] = hex,
        };
        foreach (var log in logs)
        {
            details[log.Kind + "Log"] = log.Path;
            if (log.Lines.Count > 0)
            {
                details[log.Kind + "Lines"] = string.Join("\n", log.Lines);
            }
        }

        // 1602 (0x642) is a refused registration whether or not a log says LicenseInvalid; any log may quote it (the bundle log echoes the deployer's).
        var quoted = logs.SelectMany(l => l.Lines).FirstOrDefault(l => l.Contains("LicenseInvalid", StringComparison.OrdinalIgnoreCase));
        if (exitCode == LicenseInvalidExit || quoted is not null)
        {
            return new ActivityError(
                "install.licenseInvalid",
                quoted is null
                    ? $"The sensor setup exited with {exitCode} ({hex}): the cloud service refused to register the sensor (validateCreateSensorResult=LicenseInvalid).{Quote(logs, "deployer")}{Quote(logs, "bundle")}"
                    : $"The sensor setup exited with {exitCode} ({hex}) and its log says the cloud service refused to register the sensor: \"{quoted}\".", Permanent: true)
            {
                Fix = "This is most often a proxy answering 401/403 to the sensor's registration (\"failed to register due to licensing issues\"): check the proxy with mdi.probeSensorApi and let this server reach *.atp.azure.com without authentication or filtering; check the access key belongs to this workspace and the licence with mdi.checkLicense; then reinstall.",
                Details = details,
            };
        }

        if (unchecked((uint)exitCode) == MsiFailed)
        {
            return new ActivityError("install.msiFailed", $"The sensor setup exited with {exitCode} ({hex}): the MSI package failed.{Quote(logs, "msi")}")
            {
                Fix = "This is most often no connectivity to the cloud service while installing: check with mdi.probeSensorApi, then retry with 'proxyUrl' (ProxyUrl=) when this server reaches the Internet through a proxy. The MSI log lines in the details show the failing action.",
                Details = details,
            };
        }

        if (exitCode == InstallAlreadyRunning)
        {
            return new ActivityError("install.busy", $"The sensor setup exited with {exitCode} ({hex}): another installation is in progress on this server.")
            {
                Fix = "Wait for the other installation (Windows Update, another setup) to finish, then retry.",
                Details = details,
            };
        }

        return new ActivityError("install.failed", $"The sensor setup exited with {exitCode} ({hex}).{Quote(logs, "deployer")}{Quote(logs, "bundle")}")
        {
            Fix = "Read the quoted log lines in the details (and the full logs named there) for the setup's own explanation; fix the cause, then retry.",
            Details = details,
        };
    }

    private static string Quote(IReadOnlyList<InstallerLog> logs, string kind) =>
        logs.FirstOrDefault(l => l.Kind == kind) is { Headline: { } headline } ? $" The {kind} log says: \"{headline}\"." : "";
}
