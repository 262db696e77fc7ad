namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>The Win32_ComputerSystem properties the MDI checks use.</summary>
/// <param name="Name">The computer's name.</param>
/// <param name="Domain">The domain (or workgroup) it belongs to.</param>
/// <param name="DomainRole">0 standalone workstation ... 4 backup DC, 5 primary DC.</param>
/// <param name="LogicalProcessors">NumberOfLogicalProcessors.</param>
/// <param name="TotalPhysicalMemory">TotalPhysicalMemory in bytes.</param>
internal sealed record ComputerSystemInfo(string Name, string? Domain, int DomainRole, int LogicalProcessors, long TotalPhysicalMemory);

/// <summary>Parses <c>Get-CimInstance Win32_ComputerSystem | ConvertTo-Json</c>.</summary>
internal static class ComputerSystemParser
{
    /// <exception cref="FormatException">The output is not one Win32_ComputerSystem with the needed properties.</exception>
    public static ComputerSystemInfo Parse(string output)
    {
        var item = PowerShellJson.Single(output, "Win32_ComputerSystem");
        return new ComputerSystemInfo(
            PowerShellJson.String(item, "Name") ?? throw Missing("Name"),
            PowerShellJson.String(item, "Domain"),
            (int)(PowerShellJson.Number(item, "DomainRole") ?? throw Missing("DomainRole")),
            (int)(PowerShellJson.Number(item, "NumberOfLogicalProcessors") ?? throw Missing("NumberOfLogicalProcessors")),
            PowerShellJson.Number(item, "TotalPhysicalMemory") ?? throw Missing("TotalPhysicalMemory"));
    }

    private static FormatException Missing(string property) => new($"Win32_ComputerSystem has no {property}.");
}
