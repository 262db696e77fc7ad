using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.Verification;

/// <summary>The output of <c>mdi.verifySensor</c>: the sensor's services, running as they should.</summary>
public sealed record VerifySensorOutput
{
    /// <summary>The sensor's version, when known.</summary>
    public string? Version { get; init; }

    /// <summary>Where it is installed, when known.</summary>
    public string? InstallPath { get; init; }

    /// <summary>AATPSensor and AATPSensorUpdater with their state and account.</summary>
    public required IReadOnlyList<ServiceFacts> Services { get; init; }

    /// <summary>What to expect next in the portal.</summary>
    public required string Note { get; init; }
}
