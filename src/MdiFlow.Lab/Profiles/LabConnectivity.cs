namespace MdiFlow.Lab.Profiles;

/// <summary>How the lab's network behaves: the sensor API's reachability and answer, the proxy, transient failures.</summary>
public sealed record LabConnectivity
{
    /// <summary>How the sensor API can be reached.</summary>
    public LabSensorApiRoute SensorApi { get; init; } = LabSensorApiRoute.Direct;

    /// <summary>What the sensor API's ping answers once reached.</summary>
    public LabSensorApiAnswer SensorApiAnswer { get; init; } = LabSensorApiAnswer.Ok;

    /// <summary>The lab's forward proxy.</summary>
    public LabProxy Proxy { get; init; } = new();

    /// <summary>How many requests to each Graph route answer 429 (<c>Retry-After: 1</c>) before it answers normally.</summary>
    public int GraphThrottledRequests { get; init; }

    /// <summary>How many sensor-API connections are dropped (reset) before pings are answered.</summary>
    public int SensorApiDroppedConnections { get; init; }

    /// <summary>How many package downloads the package host refuses with 403 (an expired link) before it serves the package.</summary>
    public int PackageDownloadsRefused { get; init; }
}

/// <summary>How the sensor API can be reached.</summary>
public enum LabSensorApiRoute
{
    /// <summary>Directly and through the proxy.</summary>
    Direct,

    /// <summary>Only through the proxy: a direct connection is reset, as a perimeter firewall would.</summary>
    ProxyOnly,

    /// <summary>Not at all: every connection is reset, through the proxy too.</summary>
    Blocked,
}

/// <summary>What the sensor API's ping answers.</summary>
public enum LabSensorApiAnswer
{
    /// <summary>200 with the body <c>Ok</c>.</summary>
    Ok,

    /// <summary>503 with the body <c>The service is unavailable</c>, as some older workspaces answer (which still proves reachability).</summary>
    Unavailable,
}

/// <summary>The lab's HTTP forward proxy.</summary>
public sealed record LabProxy
{
    /// <summary>When set, the proxy demands these Basic credentials (407 with <c>Proxy-Authenticate: Basic</c> otherwise).</summary>
    public string? UserName { get; init; }

    /// <summary>The password that goes with <see cref="UserName"/>.</summary>
    public string? Password { get; init; }

    /// <summary>Whether the proxy answers 403 to the sensor API (the known cause of "failed to register due to licensing issues").</summary>
    public bool DenySensorApi { get; init; }
}
