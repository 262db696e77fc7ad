using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.DefenderForIdentity.Readiness;

/// <summary>
/// <c>mdi.detectServerRole</c>: decides from facts which deployment the server gets (sensor v3.x on an eligible domain
/// controller, v2.x on other domain controllers and AD FS, AD CS and Entra Connect servers, the standalone sensor on a
/// dedicated server), says why, and checks the server's readiness fact by fact. Fails with <c>mdi.notReady</c> when a hard
/// requirement fails, naming every one with its documented fix.
/// </summary>
[Activity("mdi.detectServerRole", Description = "Decides sensor v3.x, v2.x or standalone from the server's role and facts, and checks the server's readiness.", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true, Rehearsal = RehearsalMode.Double)]
internal sealed class DetectServerRoleActivity(IHostFacts host, IOptions<DefenderForIdentityOptions> options) : Activity<DetectServerRoleInput, DetectServerRoleOutput>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(DetectServerRoleInput input, ActivityContext context)
    {
        ServerFacts server;
        SensorInstallation installed;
        try
        {
            server = await host.GetServerAsync(context.CancellationToken).ConfigureAwait(false);
            installed = await host.GetSensorAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex)
        {
            return HostProblems.Fail(context, "mdi.detectServerRole", ex);
        }

        var decision = SensorPathRules.Decide(server, installed, options.Value.SensorV3MinimumUpdateRevisions.AsReadOnly(), input.SensorV3);
        var facts = ReadinessRules.Evaluate(server, decision.Path);
        var failed = facts.Where(f => f.Status == FactStatus.Fail).ToList();
        var kind = decision.Path == SensorPath.Standalone ? "standalone sensor" : "sensor";
        var output = new DetectServerRoleOutput
        {
            ComputerName = server.ComputerName,
            Domain = server.Domain,
            Role = decision.Role,
            Roles = server.Roles,
            Path = decision.Path,
            PathReason = decision.Reason,
            SensorKind = decision.Path == SensorPath.Standalone ? "standaloneSensor" : "sensor",
            NeedsServiceAccount = decision.Path != SensorPath.SensorV3,
            DomainRole = server.DomainRole,
            OperatingSystem = ServerVersion.Parse(server.OsVersion)?.ToString() ?? server.OsVersion,
            SensorV3Eligible = decision.V3Eligible,
            PendingRestart = server.PendingRestart.Count > 0,
            Ready = failed.Count == 0,
            Facts = facts,
        };
        if (failed.Count == 0)
        {
            return Complete(output);
        }

        return ActivityResult.Fail(new ActivityError(
            "mdi.notReady",
            $"{server.ComputerName} is not ready for the {kind} ({decision.Reason}): {string.Join("; ", failed.Select(f => $"{f.Name} is {f.Value}, needs {f.Requirement}"))}.", Permanent: true)
        {
            Fix = string.Join(" ", failed.Select(f => f.Note)),
            Details = facts.ToDictionary(f => f.Name, f => $"{f.Status.ToString().ToLowerInvariant()}: {f.Value}"),
        });
    }
}
