using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.Verification;

/// <summary>
/// <c>mdi.verifySensor</c>: the services AATPSensor (as LocalService) and AATPSensorUpdater (as LocalSystem) are
/// installed and running. When not, the error points to Microsoft.Tri.Sensor-Errors.log under the install folder.
/// </summary>
[Activity("mdi.verifySensor", Description = "Checks that the sensor's services run, AATPSensor as LocalService and AATPSensorUpdater as LocalSystem.", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true, Rehearsal = RehearsalMode.Double)]
internal sealed class VerifySensorActivity(IHostFacts host) : Activity<VerifySensorInput, VerifySensorOutput>
{
    public const string PortalNote = "The sensor can take up to 15 minutes to appear in the Microsoft Defender portal (Settings > Identities > Sensors), longer for the first sensor of a workspace.";

    private static readonly (string Name, string Account)[] Expected =
    [
        ("AATPSensor", "LocalService"),
        ("AATPSensorUpdater", "LocalSystem"),
    ];

    protected override async ValueTask<ActivityResult> ExecuteAsync(VerifySensorInput input, ActivityContext context)
    {
        SensorInstallation sensor;
        try
        {
            sensor = await host.GetSensorAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex)
        {
            return HostProblems.Fail(context, "mdi.verifySensor", ex);
        }

        if (!sensor.Installed)
        {
            return ActivityResult.Fail(new ActivityError("verify.notInstalled", "The sensor is not installed on this server (no AATPSensor service).")
            {
                Fix = "Run mdi.installSensor first; if it reported success, read the setup logs in the installer log folder (%TEMP%).",
            });
        }

        var problems = new List<string>();
        var running = true;
        foreach (var (name, account) in Expected)
        {
            var service = sensor.Services.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
            if (service is null)
            {
                problems.Add($"the service {name} is not installed");
                running = false;
            }
            else if (!service.Running)
            {
                problems.Add($"the service {name} is not running");
                running = false;
            }
            else if (!ServiceAccountNames.Same(service.Account, account))
            {
                problems.Add($"the service {name} runs as {service.Account}, not {account}");
            }
        }

        if (problems.Count == 0)
        {
            return Complete(new VerifySensorOutput { Version = sensor.Version, InstallPath = sensor.InstallPath, Services = sensor.Services, Note = PortalNote });
        }

        var errorLog = ErrorLog(sensor);
        return ActivityResult.Fail(new ActivityError(
            running ? "verify.serviceAccount" : "verify.notRunning",
            $"The sensor is installed but {string.Join("; ", problems)}.",
            Permanent: running)
        {
            Fix = $"Read {errorLog} for the cause. A sensor that just installed may still be starting: retry in a few minutes. The services must run as installed (AATPSensor as LocalService, AATPSensorUpdater as LocalSystem); if they were changed, reinstall the sensor.",
            Details = sensor.Services.ToDictionary(s => s.Name, s => $"{(s.Running ? "running" : "not running")} as {s.Account}"),
        });
    }

    private static string ErrorLog(SensorInstallation sensor)
    {
        var root = sensor.InstallPath ?? Installation.InstallSensorActivity.DefaultInstallationPath;
        return sensor.Version is { } version
            ? $@"{root}\{version}\Logs\Microsoft.Tri.Sensor-Errors.log"
            : $@"Microsoft.Tri.Sensor-Errors.log in the Logs folder of the version folder under {root}";
    }
}
