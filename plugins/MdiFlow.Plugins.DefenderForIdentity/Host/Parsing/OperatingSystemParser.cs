namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>The Win32_OperatingSystem properties the MDI checks use.</summary>
/// <param name="Caption">For example "Microsoft Windows Server 2022 Datacenter".</param>
/// <param name="Version">For example "10.0.20348".</param>
internal sealed record OperatingSystemInfo(string Caption, string Version);

/// <summary>Parses <c>Get-CimInstance Win32_OperatingSystem | ConvertTo-Json</c>.</summary>
internal static class OperatingSystemParser
{
    /// <exception cref="FormatException">The output is not one Win32_OperatingSystem with a caption and version.</exception>
    public static OperatingSystemInfo Parse(string output)
    {
        var item = PowerShellJson.Single(output, "Win32_OperatingSystem");
        return new OperatingSystemInfo(
            (PowerShellJson.String(item, "Caption") ?? throw new FormatException("Win32_OperatingSystem has no Caption.")).Trim(),
            PowerShellJson.String(item, "Version") ?? throw new FormatException("Win32_OperatingSystem has no Version."));
    }
}
