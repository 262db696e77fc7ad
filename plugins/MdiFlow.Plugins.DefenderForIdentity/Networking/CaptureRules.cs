using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.Networking;

/// <summary>
/// What the sensor needs of its capture driver and adapters: Npcap 1.0 or later (the OEM edition Microsoft provides)
/// installed with <c>/loopback_support=no /winpcap_mode=yes /admin_only=no</c>, never WinPcap with a NIC team, and for a
/// standalone sensor a capture adapter.
/// </summary>
internal static class CaptureRules
{
    public const string NpcapOptions = "/loopback_support=no /winpcap_mode=yes /admin_only=no";

    private const string ReinstallNpcap =
        "Uninstall Npcap (and the sensor, if installed), then install Npcap 1.0 or later OEM (the edition Microsoft provides for Defender for Identity) silently with " + NpcapOptions + ", or let a sensor 2.184 or later install it; then reinstall the sensor.";

    /// <summary>The failure the Npcap installation causes, or null when it is fine (or absent: the setup installs it).</summary>
    public static ActivityError? Npcap(NetworkFacts network)
    {
        if (network.NpcapVersion is not { } version)
        {
            return null;
        }

        if (Version.TryParse(version, out var parsed) && parsed.Major < 1)
        {
            return new ActivityError("mdi.npcapOutdated", $"Npcap {version} is installed; the sensor needs Npcap 1.0 or later.", Permanent: true)
            {
                Fix = ReinstallNpcap,
                Details = new Dictionary<string, string> { ["npcap"] = version },
            };
        }

        if (network.NpcapOptions is { } options)
        {
            var wrong = new List<string>();
            if (options.LoopbackSupport == 1)
            {
                wrong.Add("loopback support is on (needs /loopback_support=no)");
            }

            if (options.WinPcapCompatible == 0)
            {
                wrong.Add("WinPcap API-compatible mode is off (needs /winpcap_mode=yes)");
            }

            if (options.AdminOnly == 1)
            {
                wrong.Add("it is restricted to administrators (needs /admin_only=no)");
            }

            if (wrong.Count > 0)
            {
                return new ActivityError("mdi.npcapOptions", $"Npcap {version} is installed with options the sensor cannot use: {string.Join("; ", wrong)}.", Permanent: true)
                {
                    Fix = ReinstallNpcap,
                    Details = new Dictionary<string, string> { ["npcap"] = version, ["problems"] = string.Join("; ", wrong) },
                };
            }
        }

        return null;
    }

    /// <summary>The adapters a standalone sensor can capture on: no default gateway and no DNS servers (static, non-routable).</summary>
    public static IReadOnlyList<string> CaptureAdapters(NetworkFacts network) =>
        [.. (network.Adapters ?? []).Where(a => !a.HasDefaultGateway && !a.HasDnsServers).Select(a => a.Name)];

    public static ActivityError? StandaloneAdapters(NetworkFacts network)
    {
        if (network.Adapters is not { } adapters)
        {
            return new ActivityError("mdi.adaptersUnknown", "The network adapters of this server could not be read, so its capture adapter cannot be checked.")
            {
                Fix = "Run the step elevated on the standalone sensor server (Get-NetIPConfiguration must work), then retry.",
            };
        }

        var capture = CaptureAdapters(network);
        var management = adapters.Where(a => a.HasDefaultGateway).Select(a => a.Name).ToList();
        return capture.Count > 0 && management.Count > 0
            ? null
            : new ActivityError("mdi.noCaptureAdapter", $"A standalone sensor needs a management adapter (with a default gateway and DNS servers) and a capture adapter (no default gateway, no DNS servers); this server has {(management.Count == 0 ? "no management adapter" : "no capture adapter")} among: {string.Join(", ", adapters.Select(a => a.Name))}.", Permanent: true)
            {
                Fix = "Add a network adapter for capture: give it a static non-routable address with a /32 mask, no default gateway and no DNS servers, and configure port mirroring of the domain controllers' traffic to it (with your network or virtualization team). Then retry.",
            };
    }
}
