using System.Text.Json.Serialization;

namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>A call documented to answer with no body (200 or 204).</summary>
internal sealed class NoContent
{
    public static readonly NoContent Instance = new();
}

/// <summary>
/// microsoft.graph.security.deploymentAccessKeyType in either documented shape: <c>{"deploymentAccessKey": ...}</c> (the
/// resource type) or <c>{"value": {"sensorDeploymentAccessKey": ...}}</c> (the v1.0 example). Its text never appears in ToString.
/// </summary>
internal sealed class AccessKeyAnswer
{
    [JsonPropertyName("deploymentAccessKey")]
    public string? DeploymentAccessKey { get; init; }

    [JsonPropertyName("sensorDeploymentAccessKey")]
    public string? SensorDeploymentAccessKey { get; init; }

    [JsonPropertyName("value")]
    public AccessKeyAnswer? Value { get; init; }

    /// <summary>The key, whichever shape carried it.</summary>
    [JsonIgnore]
    public string? Key => DeploymentAccessKey ?? SensorDeploymentAccessKey ?? Value?.Key;

    public override string ToString() => "AccessKeyAnswer { Key = (secret) }";
}

/// <summary>microsoft.graph.security.sensorDeploymentPackage, plain or wrapped in <c>value</c> as the v1.0 example shows it.</summary>
internal sealed record PackageAnswer
{
    [JsonPropertyName("downloadUrl")]
    public string? PlainDownloadUrl { get; init; }

    [JsonPropertyName("version")]
    public string? PlainVersion { get; init; }

    [JsonPropertyName("value")]
    public PackageAnswer? Value { get; init; }

    [JsonIgnore]
    public string? DownloadUrl => PlainDownloadUrl ?? Value?.DownloadUrl;

    [JsonIgnore]
    public string? Version => PlainVersion ?? Value?.Version;
}

/// <summary>microsoft.graph.security.sensor (the properties used).</summary>
internal sealed record GraphSensor
{
    public string? Id { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>adConnectIntegrated, adcsIntegrated, adfsIntegrated, domainControllerIntegrated, domainControllerStandalone.</summary>
    public string? SensorType { get; init; }

    public string? Version { get; init; }

    /// <summary>upToDate, outdated, updating, updateFailed, notConfigured, unreachable, disconnected, startFailure, syncing.</summary>
    public string? DeploymentStatus { get; init; }

    /// <summary>healthy, notHealthyLow, notHealthyMedium, notHealthyHigh.</summary>
    public string? HealthStatus { get; init; }

    public long OpenHealthIssuesCount { get; init; }

    public string? DomainName { get; init; }

    public GraphSensorSettings? Settings { get; init; }
}

/// <summary>microsoft.graph.security.sensorSettings (the properties used).</summary>
internal sealed record GraphSensorSettings
{
    public IReadOnlyList<string> DomainControllerDnsNames { get; init; } = [];
}

/// <summary>microsoft.graph.security.sensorCandidate: a server Defender for Endpoint reports as ready for sensor v3.x.</summary>
internal sealed record SensorCandidate
{
    public string? Id { get; init; }

    public string? ComputerDnsName { get; init; }

    public string? DomainName { get; init; }

    public string? SenseClientVersion { get; init; }

    public DateTimeOffset? LastSeenDateTime { get; init; }
}

/// <summary>The body of sensorCandidate: activate.</summary>
internal sealed record ActivateRequest(IReadOnlyList<string> ServerIds);
