namespace MdiFlow.Plugins.DefenderForIdentity.Activation;

/// <summary>The output of <c>mdi.activateSensorV3</c>.</summary>
public sealed record ActivateSensorV3Output
{
    /// <summary>The server activated.</summary>
    public required string ComputerName { get; init; }

    /// <summary>The sensor candidate id Graph activated; null when the sensor was already active.</summary>
    public string? CandidateId { get; init; }

    /// <summary>The candidate's DNS name, as Defender for Endpoint reports it.</summary>
    public string? ComputerDnsName { get; init; }

    /// <summary>True when the server was already listed as a sensor, so nothing was activated again.</summary>
    public required bool AlreadyActive { get; init; }

    /// <summary>What to expect next.</summary>
    public required string Note { get; init; }
}
