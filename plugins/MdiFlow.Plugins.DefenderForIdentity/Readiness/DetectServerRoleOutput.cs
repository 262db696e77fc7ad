namespace MdiFlow.Plugins.DefenderForIdentity.Readiness;

/// <summary>The output of <c>mdi.detectServerRole</c>: which sensor this server gets and whether it is ready for it.</summary>
public sealed record DetectServerRoleOutput
{
    /// <summary>The server's name.</summary>
    public required string ComputerName { get; init; }

    /// <summary><c>sensor</c> on a domain controller (DomainRole 4 or 5), otherwise <c>standaloneSensor</c>.</summary>
    public required string SensorKind { get; init; }

    /// <summary>Win32_ComputerSystem.DomainRole.</summary>
    public required int DomainRole { get; init; }

    /// <summary>The operating system, for example "Windows Server 2022 (10.0.20348)".</summary>
    public required string OperatingSystem { get; init; }

    /// <summary>Whether no hard requirement failed (warnings allowed).</summary>
    public required bool Ready { get; init; }

    /// <summary>Whether sensor v3.x could be enabled from the portal instead: a 2019+ domain controller onboarded to Defender for Endpoint.</summary>
    public required bool SensorV3Possible { get; init; }

    /// <summary>Each readiness fact with pass, warn or fail.</summary>
    public required IReadOnlyList<FactCheck> Facts { get; init; }
}
