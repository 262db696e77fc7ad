using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Lab;

/// <summary>What the stand-in setup leaves on the simulated server.</summary>
internal sealed record InstalledSensor
{
    public required SensorInstallation Installation { get; init; }

    public bool DelayedUpdate { get; init; }

    public string? ProxyUrl { get; init; }

    public DateTimeOffset? InstalledAt { get; init; }
}

/// <summary>A sensor v3.x the lab's Graph activated (<c>sensorCandidates/activate</c>).</summary>
internal sealed record ActivatedSensor(string CandidateId, string ComputerDnsName, string Version, DateTimeOffset ActivatedAt);
