namespace MdiFlow.Plugins.DefenderForIdentity.Readiness;

/// <summary>The output of <c>mdi.detectServerRole</c>: the server's role, the path it takes and why, and its readiness.</summary>
public sealed record DetectServerRoleOutput
{
    /// <summary>The server's name.</summary>
    public required string ComputerName { get; init; }

    /// <summary>The DNS domain it belongs to, when known.</summary>
    public string? Domain { get; init; }

    /// <summary><c>domainController</c>, <c>adfs</c>, <c>adcs</c>, <c>entraConnect</c> or <c>dedicated</c>.</summary>
    public required string Role { get; init; }

    /// <summary>Every identity role found: <c>adfs</c>, <c>adcs</c>, <c>entraConnect</c> (a domain controller may hold them too).</summary>
    public required IReadOnlyList<string> Roles { get; init; }

    /// <summary><c>sensorV3</c>, <c>sensorV2</c> or <c>standalone</c>: what the rest of the workflow deploys.</summary>
    public required SensorPath Path { get; init; }

    /// <summary>One sentence for the change board: the path and why.</summary>
    public required string PathReason { get; init; }

    /// <summary><c>sensor</c> (v2.x or v3.x) or <c>standaloneSensor</c>.</summary>
    public required string SensorKind { get; init; }

    /// <summary>Whether a directory service account is needed: every path except sensor v3.x (which uses LocalSystem).</summary>
    public required bool NeedsServiceAccount { get; init; }

    /// <summary>Win32_ComputerSystem.DomainRole.</summary>
    public required int DomainRole { get; init; }

    /// <summary>The operating system, for example "Windows Server 2022 (10.0.20348)".</summary>
    public required string OperatingSystem { get; init; }

    /// <summary>Whether the server meets every sensor v3.x requirement (whether or not the workflow uses it).</summary>
    public required bool SensorV3Eligible { get; init; }

    /// <summary>Whether a restart is pending (the install step refuses to start until it is done).</summary>
    public required bool PendingRestart { get; init; }

    /// <summary>Whether no hard requirement failed (warnings allowed).</summary>
    public required bool Ready { get; init; }

    /// <summary>Each readiness fact with pass, warn or fail.</summary>
    public required IReadOnlyList<FactCheck> Facts { get; init; }
}
