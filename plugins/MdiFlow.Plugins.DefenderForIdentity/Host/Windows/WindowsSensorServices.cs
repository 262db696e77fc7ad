using System.Runtime.Versioning;
using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Windows;

/// <summary>The sensor's services (AATPSensor, AATPSensorUpdater) as <c>sc.exe</c> reports them.</summary>
[SupportedOSPlatform("windows")]
internal static class WindowsSensorServices
{
    public const string Sensor = "AATPSensor";
    public const string Updater = "AATPSensorUpdater";

    public static async ValueTask<SensorInstallation> ReadAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var sensor = await ServiceAsync(Sensor, time, cancellationToken).ConfigureAwait(false);
        if (sensor is null)
        {
            return new SensorInstallation { Installed = false };
        }

        var updater = await ServiceAsync(Updater, time, cancellationToken).ConfigureAwait(false);
        var (installPath, version) = SensorBinaryPath.Parse(sensor.Value.Configuration.BinaryPath);
        return new SensorInstallation
        {
            Installed = true,
            Version = version,
            InstallPath = installPath,
            Services = [sensor.Value.Facts, .. updater is { } u ? [u.Facts] : Array.Empty<ServiceFacts>()],
        };
    }

    private static async Task<(ServiceFacts Facts, ServiceConfiguration Configuration)?> ServiceAsync(string name, TimeProvider time, CancellationToken cancellationToken)
    {
        var sc = ConsoleCommand.System32("sc.exe");

        // sc.exe exits with 1060 for a service that does not exist; the parsers recognise that output.
        var query = await ConsoleCommand.RunAsync(sc, ["query", name], time, cancellationToken).ConfigureAwait(false);
        var configuration = await ConsoleCommand.RunAsync(sc, ["qc", name], time, cancellationToken).ConfigureAwait(false);
        try
        {
            var status = ServiceControlParser.ParseQuery(query.Output);
            var config = ServiceControlParser.ParseConfiguration(configuration.Output);
            return status is null || config is null ? null : (new ServiceFacts(name, status.Running, config.StartName), config);
        }
        catch (FormatException ex)
        {
            throw new HostFactsException($"Reading the service {name} with sc.exe failed (exit codes {query.ExitCode}, {configuration.ExitCode}): {ex.Message}", ex);
        }
    }
}
