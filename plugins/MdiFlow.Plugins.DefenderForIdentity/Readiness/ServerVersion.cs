using System.Globalization;

namespace MdiFlow.Plugins.DefenderForIdentity.Readiness;

/// <summary>A Windows version (Win32_OperatingSystem.Version) and the Windows Server release it is.</summary>
/// <param name="Version">For example 10.0.20348.</param>
internal sealed record ServerVersion(Version Version)
{
    /// <summary>The first build of Windows Server 2019, the minimum for sensor v3.x.</summary>
    public const int Server2019Build = 17763;

    private static readonly (int Build, string Name)[] Releases =
    [
        (26100, "Windows Server 2025"),
        (20348, "Windows Server 2022"),
        (17763, "Windows Server 2019"),
        (14393, "Windows Server 2016"),
    ];

    /// <summary>Parses "major.minor[.build]"; null when it is not a version.</summary>
    public static ServerVersion? Parse(string? text) =>
        System.Version.TryParse(text, out var version) ? new ServerVersion(version) : null;

    /// <summary>Windows Server 2008 R2 (6.1), the last release where gMSAs cannot be used by the sensor.</summary>
    public bool Is2008R2OrOlder => Version.Major < 6 || (Version.Major == 6 && Version.Minor <= 1);

    /// <summary>Windows Server 2012 or 2012 R2 (6.2, 6.3).</summary>
    public bool Is2012 => Version.Major == 6 && Version.Minor is 2 or 3;

    /// <summary>Windows Server 2012 R2 (6.3): past support, still reports (Test-MdiReadiness accepts 6.3 and later).</summary>
    public bool Is2012R2 => Version.Major == 6 && Version.Minor == 3;

    /// <summary>Windows Server 2016 or later (10.0.14393 and up).</summary>
    public bool Is2016OrLater => Version.Major >= 10 && Build >= 14393;

    /// <summary>Windows Server 2019 or later.</summary>
    public bool Is2019OrLater => Version.Major >= 10 && Build >= Server2019Build;

    public int Build => Math.Max(Version.Build, 0);

    /// <summary>Windows Server 2019 (build 17763).</summary>
    public bool Is2019 => Version.Major == 10 && Build == Server2019Build;

    /// <summary>The release's name, for example "Windows Server 2022".</summary>
    public string Name => (Version.Major, Version.Minor) switch
    {
        (6, 1) => "Windows Server 2008 R2",
        (6, 2) => "Windows Server 2012",
        (6, 3) => "Windows Server 2012 R2",
        ( >= 10, _) => Releases.FirstOrDefault(r => Build >= r.Build).Name ?? $"Windows {Version.ToString(3)}",
        _ => $"Windows {Version.ToString(2)}",
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({Version})");
}
