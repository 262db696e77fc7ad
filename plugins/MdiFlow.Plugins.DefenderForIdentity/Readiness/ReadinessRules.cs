using System.Globalization;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

namespace MdiFlow.Plugins.DefenderForIdentity.Readiness;

/// <summary>
/// The sensor's documented prerequisites, judged from <see cref="ServerFacts"/>. Sizes are decimal gigabytes
/// (6 GB = 6,000,000,000 bytes), so a machine sold as 6 GB (which Windows reports a little under 6 GiB) passes.
/// </summary>
internal static class ReadinessRules
{
    public const long MinimumMemoryBytes = 6_000_000_000;
    public const long MinimumFreeDiskBytes = 6_000_000_000;
    public const int MinimumCores = 2;
    public static readonly TimeSpan MaximumClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Whether sensor v3.x could be enabled instead: a 2019+ domain controller onboarded to Defender for Endpoint.</summary>
    public static bool SensorV3Possible(ServerFacts server) =>
        server.IsDomainController && server.DefenderForEndpointOnboarded && ServerVersion.Parse(server.OsVersion) is { Is2019OrLater: true };

    public static IReadOnlyList<FactCheck> Evaluate(ServerFacts server) =>
    [
        OperatingSystem(server),
        server.LogicalProcessors >= MinimumCores
            ? Fact("cores", FactStatus.Pass, server.LogicalProcessors.ToString(CultureInfo.InvariantCulture), "at least 2")
            : Fact("cores", FactStatus.Fail, server.LogicalProcessors.ToString(CultureInfo.InvariantCulture), "at least 2", "Give the server at least 2 cores."),
        server.TotalMemoryBytes >= MinimumMemoryBytes
            ? Fact("memory", FactStatus.Pass, Gigabytes(server.TotalMemoryBytes), "at least 6 GB")
            : Fact("memory", FactStatus.Fail, Gigabytes(server.TotalMemoryBytes), "at least 6 GB", "Give the server at least 6 GB of memory (more on busy domain controllers; see the sizing tool)."),
        server.SystemDriveFreeBytes >= MinimumFreeDiskBytes
            ? Fact("freeDisk", FactStatus.Pass, Gigabytes(server.SystemDriveFreeBytes), "at least 6 GB free on the system drive")
            : Fact("freeDisk", FactStatus.Fail, Gigabytes(server.SystemDriveFreeBytes), "at least 6 GB free on the system drive", "Free at least 6 GB on the system drive."),
        PowerPlan(server),
        DotNet(server),
        ClockSkew(server),
    ];

    private static FactCheck OperatingSystem(ServerFacts server)
    {
        var version = ServerVersion.Parse(server.OsVersion);
        var shown = $"{server.OsCaption} ({server.OsVersion})";
        const string Requirement = "Windows Server 2016, 2019, 2022 or 2025";
        if (!server.OsCaption.Contains("Server", StringComparison.OrdinalIgnoreCase) || version is null)
        {
            return Fact("operatingSystem", FactStatus.Fail, shown, Requirement, "The sensor runs on Windows Server only.");
        }

        if (version.Is2016OrLater)
        {
            return Fact("operatingSystem", FactStatus.Pass, shown, Requirement);
        }

        return version.Is2012
            ? Fact("operatingSystem", FactStatus.Warn, shown, Requirement, $"{version.Name} is past the end of support; the sensor still installs, but plan an upgrade.")
            : Fact("operatingSystem", FactStatus.Fail, shown, Requirement, $"{version.Name} is not supported by current sensors: upgrade the server.");
    }

    private static FactCheck PowerPlan(ServerFacts server)
    {
        const string Requirement = "High performance power plan";
        if (server.PowerPlanId is not { } plan)
        {
            return Fact("powerPlan", FactStatus.Warn, "unknown", Requirement, "The power plan could not be read; check it with powercfg /getactivescheme.");
        }

        var shown = server.PowerPlanName is { Length: > 0 } name ? $"{name} ({plan})" : plan.ToString();
        return plan == PowerSchemeParser.HighPerformance
            ? Fact("powerPlan", FactStatus.Pass, shown, Requirement)
            : Fact("powerPlan", FactStatus.Warn, shown, Requirement, "Set the High performance plan: powercfg /setactive 8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c (or by Group Policy).");
    }

    private static FactCheck DotNet(ServerFacts server)
    {
        const string Requirement = ".NET Framework 4.7 or later";
        if (server.DotNetFrameworkRelease is not { } release)
        {
            return Fact("dotNetFramework", FactStatus.Warn, "not found", Requirement, "The setup installs .NET Framework 4.7 or later first, which may restart the server.");
        }

        var shown = $"{DotNetFrameworkRelease.VersionOf(release)} (Release {release.ToString(CultureInfo.InvariantCulture)})";
        return DotNetFrameworkRelease.MeetsSensorMinimum(release)
            ? Fact("dotNetFramework", FactStatus.Pass, shown, Requirement)
            : Fact("dotNetFramework", FactStatus.Warn, shown, Requirement, "The setup installs .NET Framework 4.7 or later first, which may restart the server; plan the install in a maintenance window.");
    }

    private static FactCheck ClockSkew(ServerFacts server)
    {
        const string Requirement = "within 5 minutes of the domain's time";
        if (server.ClockSkew is not { } skew)
        {
            return Fact("clockSkew", FactStatus.Warn, "unknown", Requirement, "The clock offset could not be measured; check it with w32tm /stripchart /computer:<domain> /samples:3 /dataonly.");
        }

        var shown = string.Create(CultureInfo.InvariantCulture, $"{skew.TotalSeconds:0.###} s");
        return skew <= MaximumClockSkew
            ? Fact("clockSkew", FactStatus.Pass, shown, Requirement)
            : Fact("clockSkew", FactStatus.Fail, shown, Requirement, "Synchronise the clock with the domain hierarchy (w32tm /resync, and check the PDC emulator's time source); Kerberos fails beyond 5 minutes.");
    }

    private static string Gigabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_000_000_000.0:0.#} GB");

    private static FactCheck Fact(string name, FactStatus status, string value, string requirement, string? note = null) =>
        new() { Name = name, Status = status, Value = value, Requirement = requirement, Note = note };
}
