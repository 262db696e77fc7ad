using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.Networking;

/// <summary>
/// <c>mdi.checkNicTeaming</c>: NIC teaming breaks the sensor only with the WinPcap driver. A team with
/// WinPcap fails with the documented fix; a team with Npcap (which sensors install since 2.184) passes. Npcap must be
/// 1.0 or later with the documented options; a standalone sensor also needs a capture adapter.
/// </summary>
[Activity("mdi.checkNicTeaming", Description = "Checks NIC teaming (LBFO or SET) against the capture driver, Npcap's version and options, and a standalone sensor's capture adapter.", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true, Rehearsal = RehearsalMode.Double)]
internal sealed class CheckNicTeamingActivity(IHostFacts host) : Activity<CheckNicTeamingInput, CheckNicTeamingOutput>
{
    private const string Fix =
        "Uninstall the sensor (if installed) and WinPcap, install Npcap OEM (the edition Microsoft provides for Defender for Identity, with its documented options) and reinstall the sensor; or install a sensor version 2.184 or later, which installs Npcap itself.";

    protected override async ValueTask<ActivityResult> ExecuteAsync(CheckNicTeamingInput input, ActivityContext context)
    {
        NetworkFacts network;
        try
        {
            network = await host.GetNetworkAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex)
        {
            return HostProblems.Fail(context, "mdi.checkNicTeaming", ex);
        }

        var teams = network.Teams.Select(t => $"{t.Name} ({t.Kind}: {string.Join(", ", t.Members)})").ToList();
        var (driver, version) = network.WinPcapVersion is { } winPcap ? ("WinPcap", winPcap)
            : network.NpcapVersion is { } npcap ? ("Npcap", npcap)
            : ("none", (string?)null);

        if (teams.Count > 0 && network.WinPcapVersion is not null)
        {
            return ActivityResult.Fail(new ActivityError(
                "mdi.nicTeamingWinPcap",
                $"This server has NIC teaming ({string.Join("; ", teams)}) and the WinPcap driver {network.WinPcapVersion}; with WinPcap the sensor fails on teamed adapters.", Permanent: true)
            {
                Fix = Fix,
                Details = new Dictionary<string, string> { ["teams"] = string.Join("; ", teams), ["winPcap"] = network.WinPcapVersion },
            });
        }

        if (CaptureRules.Npcap(network) is { } npcapProblem)
        {
            return ActivityResult.Fail(npcapProblem);
        }

        if (input.Standalone && CaptureRules.StandaloneAdapters(network) is { } adapterProblem)
        {
            return ActivityResult.Fail(adapterProblem);
        }

        var note = (teams.Count > 0, driver) switch
        {
            (true, "Npcap") => "NIC teaming works with the Npcap driver installed here.",
            (true, _) => "NIC teaming works with Npcap, which the sensor installer (2.184 or later) installs; do not install WinPcap.",
            (false, "WinPcap") => "WinPcap is installed; current sensors use Npcap: consider replacing it (uninstall WinPcap, install Npcap OEM) before installing the sensor.",
            _ => null,
        };
        return Complete(new CheckNicTeamingOutput
        {
            Teams = teams,
            CaptureDriver = driver,
            CaptureDriverVersion = version,
            CaptureAdapters = input.Standalone ? CaptureRules.CaptureAdapters(network) : null,
            Note = note,
        });
    }
}
