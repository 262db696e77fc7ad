namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>
/// The .NET Framework 4.x version of a <c>Release</c> value under
/// <c>HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full</c>, by the documented minimums.
/// </summary>
internal static class DotNetFrameworkRelease
{
    /// <summary>4.7, the version the sensor needs.</summary>
    public const int SensorMinimum = 460798;

    private static readonly (int Release, string Version)[] Minimums =
    [
        (533320, "4.8.1"),
        (528040, "4.8"),
        (461808, "4.7.2"),
        (461308, "4.7.1"),
        (460798, "4.7"),
        (394802, "4.6.2"),
        (394254, "4.6.1"),
        (393295, "4.6"),
        (379893, "4.5.2"),
        (378675, "4.5.1"),
        (378389, "4.5"),
    ];

    /// <summary>The version, for example "4.8"; "4.0" below 4.5.</summary>
    public static string VersionOf(int release) =>
        Minimums.FirstOrDefault(m => release >= m.Release).Version ?? "4.0";

    /// <summary>Whether the release is 4.7 or later.</summary>
    public static bool MeetsSensorMinimum(int release) => release >= SensorMinimum;
}
