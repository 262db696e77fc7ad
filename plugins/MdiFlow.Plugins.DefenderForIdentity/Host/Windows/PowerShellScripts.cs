namespace MdiFlow.Plugins.DefenderForIdentity.Host.Windows;

/// <summary>
/// Every PowerShell the Windows host facts run: the one-line commands here and the scripts embedded from
/// <c>Host/Windows/Scripts</c>. The tests parse each with PowerShell 7 and run the parts that need no Windows against fixtures.
/// </summary>
internal static class PowerShellScripts
{
    /// <summary>Put before every script: UTF-8 output, no progress records or warnings in it.</summary>
    public const string Prologue = "[Console]::OutputEncoding = [Text.Encoding]::UTF8; $ProgressPreference = 'SilentlyContinue'; $WarningPreference = 'SilentlyContinue'";

    public const string ComputerSystem = "Get-CimInstance Win32_ComputerSystem | Select-Object Name,Domain,DomainRole,NumberOfLogicalProcessors,TotalPhysicalMemory | ConvertTo-Json";

    public const string OperatingSystem = "Get-CimInstance Win32_OperatingSystem | Select-Object Caption,Version | ConvertTo-Json";

    public const string LbfoTeams = "if (Get-Command Get-NetLbfoTeam -ErrorAction SilentlyContinue) { Get-NetLbfoTeam | Select-Object Name,Members,TeamingMode | ConvertTo-Json }";

    public const string SwitchEmbeddedTeams = "if (Get-Command Get-VMSwitch -ErrorAction SilentlyContinue) { Get-VMSwitch | Where-Object EmbeddedTeamingEnabled | Select-Object Name,EmbeddedTeamingEnabled,NetAdapterInterfaceDescriptions | ConvertTo-Json }";

    private const string ResourcePrefix = "MdiFlow.DefenderForIdentity.";

    /// <summary>The one-line commands, by name.</summary>
    public static IReadOnlyDictionary<string, string> Inline { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(Prologue)] = Prologue,
        [nameof(ComputerSystem)] = ComputerSystem,
        [nameof(OperatingSystem)] = OperatingSystem,
        [nameof(LbfoTeams)] = LbfoTeams,
        [nameof(SwitchEmbeddedTeams)] = SwitchEmbeddedTeams,
    };

    /// <summary>The names of the embedded scripts, for example <c>ServiceAccountScript.ps1</c>.</summary>
    public static IReadOnlyList<string> EmbeddedNames { get; } =
        [.. typeof(PowerShellScripts).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".ps1", StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..])
            .Order(StringComparer.Ordinal)];

    /// <summary>An embedded script's text.</summary>
    /// <exception cref="InvalidOperationException">No script of that name is embedded.</exception>
    public static string Embedded(string name)
    {
        using var stream = typeof(PowerShellScripts).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The script {name} is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
