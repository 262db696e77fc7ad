namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>Parses the NIC teams PowerShell lists: LBFO teams and Switch Embedded Teaming (SET) switches.</summary>
internal static class NicTeamParser
{
    /// <summary>Parses <c>Get-NetLbfoTeam | ConvertTo-Json</c> (MSFT_NetLbfoTeam: Name, Members).</summary>
    /// <exception cref="FormatException">The output is not ConvertTo-Json output.</exception>
    public static IReadOnlyList<NicTeam> ParseLbfo(string output) =>
        [.. PowerShellJson.Objects(output)
            .Select(team => new NicTeam(
                PowerShellJson.String(team, "Name") ?? throw new FormatException("An LBFO team has no Name."),
                "LBFO",
                PowerShellJson.Strings(team, "Members")))];

    /// <summary>
    /// Parses <c>Get-VMSwitch | Where-Object EmbeddedTeamingEnabled | ConvertTo-Json</c>
    /// (VMSwitch: Name, NetAdapterInterfaceDescriptions). Switches without embedded teaming are skipped.
    /// </summary>
    /// <exception cref="FormatException">The output is not ConvertTo-Json output.</exception>
    public static IReadOnlyList<NicTeam> ParseSwitchEmbedded(string output) =>
        [.. PowerShellJson.Objects(output)
            .Where(vmSwitch => PowerShellJson.Boolean(vmSwitch, "EmbeddedTeamingEnabled") != false)
            .Select(vmSwitch => new NicTeam(
                PowerShellJson.String(vmSwitch, "Name") ?? throw new FormatException("A virtual switch has no Name."),
                "SET",
                PowerShellJson.Strings(vmSwitch, "NetAdapterInterfaceDescriptions")))];
}
