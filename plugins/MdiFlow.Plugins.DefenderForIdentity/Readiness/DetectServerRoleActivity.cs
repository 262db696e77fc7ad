using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.Readiness;

/// <summary>
/// <c>mdi.detectServerRole</c>: a domain controller gets the sensor, any other server the standalone sensor;
/// and the server's readiness, fact by fact. Fails with <c>mdi.notReady</c> when a hard requirement fails.
/// </summary>
[Activity("mdi.detectServerRole", Description = "Decides sensor or standalone sensor from the server's role, and checks the server's readiness.", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true, Rehearsal = RehearsalMode.Double)]
internal sealed class DetectServerRoleActivity(IHostFacts host) : Activity<DetectServerRoleInput, DetectServerRoleOutput>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(DetectServerRoleInput input, ActivityContext context)
    {
        ServerFacts server;
        try
        {
            server = await host.GetServerAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex)
        {
            return HostProblems.Fail(context, "mdi.detectServerRole", ex);
        }

        var facts = ReadinessRules.Evaluate(server);
        var failed = facts.Where(f => f.Status == FactStatus.Fail).ToList();
        var output = new DetectServerRoleOutput
        {
            ComputerName = server.ComputerName,
            SensorKind = server.IsDomainController ? "sensor" : "standaloneSensor",
            DomainRole = server.DomainRole,
            OperatingSystem = ServerVersion.Parse(server.OsVersion)?.ToString() ?? server.OsVersion,
            Ready = failed.Count == 0,
            SensorV3Possible = ReadinessRules.SensorV3Possible(server),
            Facts = facts,
        };
        if (failed.Count == 0)
        {
            return Complete(output);
        }

        return ActivityResult.Fail(new ActivityError(
            "mdi.notReady",
            $"{server.ComputerName} is not ready for the {(server.IsDomainController ? "sensor" : "standalone sensor")}: {string.Join("; ", failed.Select(f => $"{f.Name} is {f.Value}, needs {f.Requirement}"))}.")
        {
            Fix = string.Join(" ", failed.Select(f => f.Note)),
            Details = facts.ToDictionary(f => f.Name, f => $"{f.Status.ToString().ToLowerInvariant()}: {f.Value}"),
        });
    }
}
