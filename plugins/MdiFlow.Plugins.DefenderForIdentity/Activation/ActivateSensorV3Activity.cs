using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Graph;

namespace MdiFlow.Plugins.DefenderForIdentity.Activation;

/// <summary>
/// <c>mdi.activateSensorV3</c>: activates the Defender for Identity sensor v3.x on a domain controller through Graph
/// (<c>POST /security/identities/sensorCandidates/activate</c>). Sensor v3 is activated, not installed: no setup runs and no
/// directory service account is used (it runs as LocalSystem). A server already listed as a sensor is left as it is.
/// </summary>
[Activity("mdi.activateSensorV3", Description = "Activates sensor v3.x on a domain controller through Microsoft Graph (sensorCandidates/activate); no setup, no service account.", Recovery = RecoveryMode.Idempotent, Rehearsal = RehearsalMode.Double)]
internal sealed class ActivateSensorV3Activity(GraphClient graph) : Activity<ActivateSensorV3Input, ActivateSensorV3Output>
{
    public const string FirstActivationNote = "The first activation in a workspace can take up to an hour to show Running in the Microsoft Defender portal (Settings > Identities > Sensors); enable Automatic Windows auditing configuration under Settings > Identities > Advanced features.";

    protected override async ValueTask<ActivityResult> ExecuteAsync(ActivateSensorV3Input input, ActivityContext context)
    {
        if (string.IsNullOrWhiteSpace(input.ComputerName))
        {
            return InvalidInput.Fail(context, "'computerName' is empty; bind it from the server step: {{ steps.server.output.computerName }}.");
        }

        var computer = input.ComputerName.Trim();
        var sensors = await graph.SensorsAsync(context.CancellationToken).ConfigureAwait(false);
        if (!sensors.TryGetValue(out var list, out var sensorsError))
        {
            return ActivityResult.Fail(sensorsError);
        }

        if (SensorMatch.Sensor(list, computer) is { } existing)
        {
            return Complete(new ActivateSensorV3Output
            {
                ComputerName = computer,
                AlreadyActive = true,
                Note = $"{computer} is already a sensor in the workspace ({existing.SensorType ?? "sensor"} {existing.Version}); nothing was activated again.",
            });
        }

        var candidates = await graph.SensorCandidatesAsync(context.CancellationToken).ConfigureAwait(false);
        if (!candidates.TryGetValue(out var ready, out var candidatesError))
        {
            return ActivityResult.Fail(candidatesError);
        }

        if (SensorMatch.Candidate(ready, computer) is not { Id: { Length: > 0 } id } candidate)
        {
            return ActivityResult.Fail(new ActivityError(
                "mdi.notSensorCandidate",
                $"{computer} is not among the {ready.Count} server(s) Graph lists as ready for sensor v3.x (GET /security/identities/sensorCandidates){(ready.Count == 0 ? "" : ": " + string.Join(", ", ready.Select(c => c.ComputerDnsName)))}.")
            {
                Fix = "Sensor v3.x needs a domain controller on Windows Server 2019 or later with the March 2026 cumulative update (or later), onboarded to Defender for Endpoint and without a v2.x sensor; check onboarding in the Defender portal (Assets > Devices) and retry once the device reports in, or deploy the v2.x sensor instead.",
            });
        }

        var activated = await graph.ActivateSensorCandidatesAsync([id], context.CancellationToken).ConfigureAwait(false);
        if (!activated.TryGetValue(out _, out var activateError))
        {
            return ActivityResult.Fail(activateError.Code == GraphFailures.AccessDeniedCode
                ? activateError with { Fix = activateError.Fix + " For delegated sign-in the account also needs the Security Administrator role, or a Defender XDR Unified RBAC role with System settings (Read and manage) and Security settings (All permissions)." }
                : activateError);
        }

        return Complete(new ActivateSensorV3Output
        {
            ComputerName = computer,
            CandidateId = id,
            ComputerDnsName = candidate.ComputerDnsName,
            AlreadyActive = false,
            Note = FirstActivationNote,
        });
    }
}
