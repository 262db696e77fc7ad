namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>Parses what <c>Host/Windows/Scripts/VirtualizationScript.ps1</c> prints.</summary>
internal static class VirtualizationParser
{
    /// <exception cref="FormatException">The output is not the script's JSON.</exception>
    public static VirtualizationFacts Parse(string output)
    {
        var item = PowerShellJson.Single(output, "virtualization report");
        return new VirtualizationFacts
        {
            Platform = PowerShellJson.String(item, "platform") ?? throw new FormatException("The virtualization report has no platform."),
            DynamicMemoryEnabled = PowerShellJson.Boolean(item, "dynamicMemoryEnabled"),
            MemoryReservationBytes = PowerShellJson.Number(item, "memoryReservationBytes"),
        };
    }
}
