using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.Installation;

/// <summary>The input of <c>mdi.checkPendingRestart</c>: none; it reads the server it runs on.</summary>
public sealed record CheckPendingRestartInput;

/// <summary>The output of <c>mdi.checkPendingRestart</c>.</summary>
/// <param name="ComputerName">The server checked.</param>
public sealed record CheckPendingRestartOutput(string ComputerName);

/// <summary>
/// <c>mdi.checkPendingRestart</c>: refuses to go on while the server has a restart pending (Component Based Servicing,
/// Windows Update, pending file renames, a computer rename). The sensor setup may restart the server by itself
/// (<c>norestart</c> is unreliable), so a pending restart is best taken before the install, in the maintenance window.
/// </summary>
[Activity("mdi.checkPendingRestart", Description = "Checks that no restart is pending before the sensor setup runs (the setup may restart the server by itself).", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true, Rehearsal = RehearsalMode.Double)]
internal sealed class CheckPendingRestartActivity(IHostFacts host) : Activity<CheckPendingRestartInput, CheckPendingRestartOutput>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(CheckPendingRestartInput input, ActivityContext context)
    {
        ServerFacts server;
        try
        {
            server = await host.GetServerAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex)
        {
            return HostProblems.Fail(context, "mdi.checkPendingRestart", ex);
        }

        if (server.PendingRestart.Count == 0)
        {
            return Complete(new CheckPendingRestartOutput(server.ComputerName));
        }

        return ActivityResult.Fail(new ActivityError(
            "mdi.restartPending",
            $"{server.ComputerName} has a restart pending ({string.Join("; ", server.PendingRestart)}). The sensor setup may restart the server by itself, in the middle of the install, when a restart is already pending.", Permanent: true)
        {
            Fix = $"Restart {server.ComputerName} now, in the maintenance window, then resume this instance: the install runs after the restart.",
            Details = server.PendingRestart.Select((r, i) => (Key: $"reason{i + 1}", Value: r)).ToDictionary(p => p.Key, p => p.Value),
        });
    }
}
