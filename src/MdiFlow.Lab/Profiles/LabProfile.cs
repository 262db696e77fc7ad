using System.Text.Json.Serialization;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Lab.Profiles;

/// <summary>
/// A simulated server and tenant that a rehearsal runs against, read from a host profile
/// (<c>workflows/lab/*.json</c>): what the server is, how the network behaves, what the tenant
/// holds, and how the stand-in setup ends.
/// </summary>
/// <remarks>
/// The server, network, service-account and sensor sections use the same records as
/// <see cref="IHostFacts"/>, so a profile states exactly what the Windows implementation would report.
/// </remarks>
public sealed record LabProfile
{
    /// <summary>The profile's name: its file name without <c>.json</c>.</summary>
    [JsonIgnore]
    public string Name { get; init; } = "";

    /// <summary>What the profile rehearses and the outcome a rollout should reach against it.</summary>
    public required string Description { get; init; }

    /// <summary>The server's role and readiness facts.</summary>
    public required ServerFacts Server { get; init; }

    /// <summary>NIC teams and packet-capture drivers.</summary>
    public NetworkFacts Network { get; init; } = new();

    /// <summary>The directory service accounts the directory knows; any other account does not exist.</summary>
    public IReadOnlyList<ServiceAccountFacts> ServiceAccounts { get; init; } = [];

    /// <summary>
    /// The server's Windows event auditing as <see cref="IAuditSettings"/> reports it; null means every documented
    /// setting for the server's roles is in place. Settings that <c>mdi.applyAuditing</c> applies are recorded in the lab
    /// state and overlay these.
    /// </summary>
    public AuditFacts? Auditing { get; init; }

    /// <summary>A sensor already installed when the lab state is first created (null: none).</summary>
    public SensorInstallation? Sensor { get; init; }

    /// <summary>What Microsoft Graph answers: licences, the signed-in administrator, the access key, the token's permissions.</summary>
    public required LabTenant Tenant { get; init; }

    /// <summary>How the sensor API and the proxy behave.</summary>
    public LabConnectivity Connectivity { get; init; } = new();

    /// <summary>How the stand-in setup ends once it has registered.</summary>
    public LabInstaller Installer { get; init; } = new();

    /// <summary>The names of the profiles built into the lab (the files of <c>workflows/lab</c>).</summary>
    public static IReadOnlyList<string> BuiltInNames => LabProfileLoader.BuiltInNames;

    /// <summary>Loads a profile from a file, or a built-in profile by name (<c>healthy-dc</c>).</summary>
    /// <param name="pathOrName">A <c>.json</c> file, or the name of a built-in profile.</param>
    /// <exception cref="LabProfileException">The file is missing, is not valid JSON, or breaks a rule; the message names the file and every JSON path at fault.</exception>
    public static LabProfile Load(string pathOrName) => LabProfileLoader.Load(pathOrName);
}
