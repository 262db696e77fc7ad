namespace MdiFlow.Plugins.DefenderForIdentity.Networking;

/// <summary>The output of <c>mdi.checkNicTeaming</c>.</summary>
public sealed record CheckNicTeamingOutput
{
    /// <summary>The NIC teams found (LBFO or SET), as "name (kind: members)".</summary>
    public required IReadOnlyList<string> Teams { get; init; }

    /// <summary>The capture driver installed: <c>Npcap</c>, <c>WinPcap</c> or <c>none</c>.</summary>
    public required string CaptureDriver { get; init; }

    /// <summary>The driver's version, when installed.</summary>
    public string? CaptureDriverVersion { get; init; }

    /// <summary>For a standalone sensor: the adapters that can capture (no default gateway, no DNS servers).</summary>
    public IReadOnlyList<string>? CaptureAdapters { get; init; }

    /// <summary>What to know about this combination, when anything.</summary>
    public string? Note { get; init; }
}
