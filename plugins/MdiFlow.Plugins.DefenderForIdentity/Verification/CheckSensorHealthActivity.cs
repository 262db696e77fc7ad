using System.Globalization;
using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Activation;
using MdiFlow.Plugins.DefenderForIdentity.Graph;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Plugins.DefenderForIdentity.Verification;

/// <summary>
/// <c>mdi.checkSensorHealth</c>: waits, within a bound, until Graph's sensor list (<c>GET /security/identities/sensors</c>)
/// shows this server's sensor with <c>healthStatus</c> healthy and <c>deploymentStatus</c> upToDate, and says what it
/// waited for when the bound runs out. <c>notConfigured</c> fails at once: the sensor waits for a person in the portal.
/// </summary>
[Activity("mdi.checkSensorHealth", Description = "Waits until Microsoft Graph reports the server's sensor healthy and up to date (GET /security/identities/sensors).", Recovery = RecoveryMode.Idempotent, Rehearsal = RehearsalMode.Double)]
internal sealed class CheckSensorHealthActivity(GraphClient graph) : Activity<CheckSensorHealthInput, CheckSensorHealthOutput>
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan DefaultPoll = TimeSpan.FromMinutes(1);

    protected override async ValueTask<ActivityResult> ExecuteAsync(CheckSensorHealthInput input, ActivityContext context)
    {
        if (string.IsNullOrWhiteSpace(input.ComputerName))
        {
            return InvalidInput.Fail(context, "'computerName' is empty; bind it from the server step: {{ steps.server.output.computerName }}.");
        }

        if (!InvalidInput.TryDuration(context, "waitUpTo", Blank(input.WaitUpTo), DefaultWait, out var wait, out var badWait)
            || !InvalidInput.TryDuration(context, "pollEvery", Blank(input.PollEvery), DefaultPoll, out var poll, out badWait))
        {
            return badWait;
        }

        if (poll <= TimeSpan.Zero)
        {
            return InvalidInput.Fail(context, "'pollEvery' must be longer than zero.");
        }

        var computer = input.ComputerName.Trim();
        var started = context.Time.GetTimestamp();
        var polls = 0;
        string lastSeen;
        while (true)
        {
            polls++;
            var answer = await graph.SensorsAsync(context.CancellationToken).ConfigureAwait(false);
            if (!answer.TryGetValue(out var sensors, out var error))
            {
                return ActivityResult.Fail(error);
            }

            var sensor = SensorMatch.Sensor(sensors, computer);
            var waited = context.Time.GetElapsedTime(started);
            if (sensor is { HealthStatus: "healthy", DeploymentStatus: "upToDate" })
            {
                return Complete(new CheckSensorHealthOutput
                {
                    SensorId = sensor.Id,
                    DisplayName = sensor.DisplayName ?? computer,
                    SensorType = sensor.SensorType,
                    Version = sensor.Version,
                    HealthStatus = sensor.HealthStatus,
                    DeploymentStatus = sensor.DeploymentStatus,
                    Polls = polls,
                    WaitedSeconds = (long)waited.TotalSeconds,
                });
            }

            if (sensor is { DeploymentStatus: "notConfigured" })
            {
                return ActivityResult.Fail(new ActivityError("sensor.notConfigured", $"The sensor {sensor.DisplayName} ({sensor.SensorType}) reports deploymentStatus notConfigured: it needs more configuration before it works.", Permanent: true)
                {
                    Fix = "In the Microsoft Defender portal, open Settings > Identities > Sensors and select the sensor: for an AD FS, AD CS or Entra Connect sensor add the domain controllers (FQDN) it resolves through; for a standalone sensor choose its capture network adapter. Then retry.",
                    Details = Details(sensor),
                });
            }

            lastSeen = sensor is null
                ? $"no sensor named {computer} among the {sensors.Count} listed"
                : $"healthStatus {sensor.HealthStatus ?? "missing"}, deploymentStatus {sensor.DeploymentStatus ?? "missing"}, {sensor.OpenHealthIssuesCount.ToString(CultureInfo.InvariantCulture)} open health issue(s), version {sensor.Version ?? "unknown"}";
            if (waited + poll!.Value > wait!.Value)
            {
                break;
            }

            context.Logger.LogWaitingForSensor(computer, lastSeen, waited, wait.Value);
            await Task.Delay(poll.Value, context.Time, context.CancellationToken).ConfigureAwait(false);
        }

        return ActivityResult.Fail(new ActivityError(
            "sensor.notHealthy",
            $"Waited {Format(context.Time.GetElapsedTime(started))} (up to {Format(wait.Value)}, {polls} look(s) at GET /security/identities/sensors) for the sensor of {computer} to report healthStatus healthy and deploymentStatus upToDate; last seen: {lastSeen}.")
        {
            Fix = "The first sensor of a workspace (and a first v3.x activation) can take up to an hour to show Running; later ones about five minutes: retry the step later. If it stays unhealthy, open the sensor's health issues in the portal (Settings > Identities > Sensors) and read Microsoft.Tri.Sensor-Errors.log on the server.",
        });
    }

    private static Dictionary<string, string> Details(GraphSensor sensor) => new()
    {
        ["healthStatus"] = sensor.HealthStatus ?? "",
        ["deploymentStatus"] = sensor.DeploymentStatus ?? "",
        ["version"] = sensor.Version ?? "",
        ["openHealthIssuesCount"] = sensor.OpenHealthIssuesCount.ToString(CultureInfo.InvariantCulture),
    };

    private static string Format(TimeSpan span) =>
        span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min") : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s");

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}

/// <summary>The health wait's log messages.</summary>
internal static partial class SensorHealthLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Waiting for the sensor of {Computer} to report healthy and up to date in Graph; last seen: {LastSeen} (waited {Waited} of {Limit})")]
    public static partial void LogWaitingForSensor(this ILogger logger, string computer, string lastSeen, TimeSpan waited, TimeSpan limit);
}
