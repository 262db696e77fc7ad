namespace MdiFlow.Plugins.DefenderForIdentity.Verification;

/// <summary>The output of <c>mdi.checkSensorHealth</c>: the sensor as the Defender for Identity service reports it.</summary>
public sealed record CheckSensorHealthOutput
{
    /// <summary>The sensor's id in the workspace.</summary>
    public string? SensorId { get; init; }

    /// <summary>Its display name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>domainControllerIntegrated, adfsIntegrated, adcsIntegrated, adConnectIntegrated or domainControllerStandalone.</summary>
    public string? SensorType { get; init; }

    /// <summary>The sensor version the service sees.</summary>
    public string? Version { get; init; }

    /// <summary><c>healthy</c>.</summary>
    public required string HealthStatus { get; init; }

    /// <summary><c>upToDate</c>.</summary>
    public required string DeploymentStatus { get; init; }

    /// <summary>How many times Graph was asked.</summary>
    public required int Polls { get; init; }

    /// <summary>How long the step waited, in seconds.</summary>
    public required long WaitedSeconds { get; init; }
}
