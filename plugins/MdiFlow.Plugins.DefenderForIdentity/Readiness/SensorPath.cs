using System.Globalization;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.Readiness;

/// <summary>Which deployment a server gets.</summary>
public enum SensorPath
{
    /// <summary>Sensor v3.x, activated on a domain controller through Defender for Endpoint: no setup, no directory service account.</summary>
    SensorV3,

    /// <summary>Sensor v2.x from the installer: domain controllers that are not v3-eligible, and AD FS, AD CS and Entra Connect servers.</summary>
    SensorV2,

    /// <summary>The standalone sensor on a dedicated server that receives the domain controllers' traffic by port mirroring.</summary>
    Standalone,
}

/// <summary>The server's role, the path it takes and why, as the change board reads it.</summary>
/// <param name="Role"><c>domainController</c>, <c>adfs</c>, <c>adcs</c>, <c>entraConnect</c> or <c>dedicated</c>.</param>
/// <param name="Path">The deployment path.</param>
/// <param name="V3Eligible">Whether the server meets every sensor v3.x requirement.</param>
/// <param name="Reason">One sentence: the path and why.</param>
internal sealed record PathDecision(string Role, SensorPath Path, bool V3Eligible, string Reason);

/// <summary>
/// Decides the path from facts, as deploy-sensor-v3 documents it: a domain controller on Windows Server 2019 or later with
/// the March 2026 cumulative update (or later), onboarded to Defender for Endpoint and without a v2.x sensor gets v3.x;
/// any other domain controller, and AD FS, AD CS and Entra Connect servers, get v2.x; any other server is a standalone sensor.
/// </summary>
internal static class SensorPathRules
{
    public static PathDecision Decide(ServerFacts server, SensorInstallation installed, IReadOnlyDictionary<int, int> minimumRevisions, bool allowV3)
    {
        var name = server.ComputerName;
        if (!server.IsDomainController)
        {
            var role = server.Roles.FirstOrDefault(r => r is "adfs" or "adcs" or "entraConnect");
            return role is null
                ? new PathDecision("dedicated", SensorPath.Standalone, false, $"standalone sensor: {name} is not a domain controller (DomainRole {server.DomainRole}) and runs no AD FS, AD CS or Entra Connect, so it monitors domain controllers through port mirroring.")
                : new PathDecision(role, SensorPath.SensorV2, false, $"sensor v2.x: {name} is {RoleName(role)} and not a domain controller; sensor v3.x supports domain controllers only, so it takes the v2.x sensor with that role's prerequisites.");
        }

        var missing = V3Gaps(server, installed, minimumRevisions);
        if (missing.Count == 0)
        {
            return allowV3
                ? new PathDecision("domainController", SensorPath.SensorV3, true, $"sensor v3.x: {name} is a domain controller on {Os(server)} with the March 2026 cumulative update or later, onboarded to Defender for Endpoint, with no v2.x sensor; v3.x is activated through Graph, needs no setup run and no directory service account.")
                : new PathDecision("domainController", SensorPath.SensorV2, true, $"sensor v2.x: {name} could take sensor v3.x, but the workflow asked for v2.x (sensorV3 false; v3.x has no VPN integration, no syslog and ExpressRoute limitations).");
        }

        return new PathDecision("domainController", SensorPath.SensorV2, false, $"sensor v2.x: {name} is a domain controller, but sensor v3.x needs {string.Join("; ", missing)}.");
    }

    /// <summary>What keeps a domain controller from sensor v3.x, one clause each; empty when it is eligible.</summary>
    public static IReadOnlyList<string> V3Gaps(ServerFacts server, SensorInstallation installed, IReadOnlyDictionary<int, int> minimumRevisions)
    {
        var gaps = new List<string>();
        var version = ServerVersion.Parse(server.OsVersion);
        if (version is not { Is2019OrLater: true })
        {
            gaps.Add($"Windows Server 2019 or later (it runs {Os(server)})");
        }
        else if (!minimumRevisions.TryGetValue(version.Build, out var minimum))
        {
            gaps.Add($"the March 2026 cumulative update, which MdiFlow cannot confirm on build {version.Build.ToString(CultureInfo.InvariantCulture)} (no minimum update revision is known for it: add it to DefenderForIdentityOptions.SensorV3MinimumUpdateRevisions)");
        }
        else if (server.OsBuildRevision is not { } revision || revision < minimum)
        {
            gaps.Add($"the March 2026 cumulative update or later (build {version.Build.ToString(CultureInfo.InvariantCulture)}.{minimum.ToString(CultureInfo.InvariantCulture)} or later; it has {(server.OsBuildRevision is { } r ? $"{version.Build.ToString(CultureInfo.InvariantCulture)}.{r.ToString(CultureInfo.InvariantCulture)}" : "an unknown revision")})");
        }

        if (!server.DefenderForEndpointOnboarded)
        {
            gaps.Add("onboarding to Defender for Endpoint (it is not onboarded)");
        }

        if (installed.Installed)
        {
            gaps.Add($"no v2.x sensor (v2.x {installed.Version} is installed; migrate as migrate-to-sensor-v3 describes)");
        }

        return gaps;
    }

    private static string Os(ServerFacts server) => ServerVersion.Parse(server.OsVersion)?.ToString() ?? server.OsVersion;

    internal static string RoleName(string role) => role switch
    {
        "adfs" => "an AD FS server",
        "adcs" => "an AD CS server (Certification Authority)",
        "entraConnect" => "a Microsoft Entra Connect server",
        _ => role,
    };
}
