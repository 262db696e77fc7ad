namespace MdiFlow.Plugins.DefenderForIdentity.Auditing;

/// <summary>One auditing configuration checked against the documented settings.</summary>
public sealed record AuditFinding
{
    /// <summary>The configuration, by its Set-MDIConfiguration name, for example <c>AdvancedAuditPolicyDCs</c>.</summary>
    public required string Configuration { get; init; }

    /// <summary>Pass, warn (could not be read) or fail.</summary>
    public required FactStatus Status { get; init; }

    /// <summary>What was found, for example <c>Credential Validation: No Auditing</c>.</summary>
    public required string Found { get; init; }

    /// <summary>What the documentation asks for.</summary>
    public required string Expected { get; init; }

    /// <summary>The documented fix (the GPO setting and the Set-MDIConfiguration equivalent); null when it passes.</summary>
    public string? Fix { get; init; }
}
