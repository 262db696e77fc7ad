namespace MdiFlow.Lab.Profiles;

/// <summary>How the Defender for Identity service (Graph's <c>security/identities</c>) sees this tenant's sensors.</summary>
public sealed record LabSensorService
{
    /// <summary>Which documented shape <c>getDeploymentAccessKey</c> answers with.</summary>
    public LabAccessKeyShape AccessKeyShape { get; init; } = LabAccessKeyShape.DeploymentAccessKey;

    /// <summary>The servers Defender for Endpoint reports as ready for sensor v3.x (<c>sensorCandidates</c>).</summary>
    public IReadOnlyList<LabSensorCandidate> SensorCandidates { get; init; } = [];

    /// <summary>The version a v3.x activation reports.</summary>
    public string SensorV3Version { get; init; } = "3.0.1012.12345";

    /// <summary>What the sensors list says about an installed or activated sensor.</summary>
    public LabSensorHealth Health { get; init; } = new();
}

/// <summary>The two documented answers of <c>getDeploymentAccessKey</c>.</summary>
public enum LabAccessKeyShape
{
    /// <summary><c>{"deploymentAccessKey": "..."}</c>, as the deploymentAccessKeyType resource names it.</summary>
    DeploymentAccessKey,

    /// <summary><c>{"value": {"@odata.type": "...", "sensorDeploymentAccessKey": "..."}}</c>, as the v1.0 example answers.</summary>
    Value,
}

/// <summary>A sensorCandidate: a server ready for sensor v3.x activation.</summary>
public sealed record LabSensorCandidate
{
    /// <summary>The candidate's id (what <c>activate</c> takes in <c>serverIds</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The server's DNS name, for example <c>dc01.contoso.com</c>.</summary>
    public required string ComputerDnsName { get; init; }

    /// <summary>The domain, for example <c>contoso.com</c>.</summary>
    public required string DomainName { get; init; }

    /// <summary>The Defender for Endpoint client version.</summary>
    public string SenseClientVersion { get; init; } = "10.8780.27711.1000";
}

/// <summary>The health the sensors list reports for this server's sensor once it exists.</summary>
public sealed record LabSensorHealth
{
    /// <summary>healthy, notHealthyLow, notHealthyMedium or notHealthyHigh.</summary>
    public string HealthStatus { get; init; } = "healthy";

    /// <summary>upToDate, outdated, updating, updateFailed, notConfigured, unreachable, disconnected, startFailure or syncing.</summary>
    public string DeploymentStatus { get; init; } = "upToDate";

    /// <summary>Open health issues.</summary>
    public int OpenHealthIssuesCount { get; init; }

    /// <summary>How many reads of the sensors list show the sensor still <c>syncing</c> before it reports the status above.</summary>
    public int ReadsBeforeReady { get; init; }
}
