namespace MdiFlow.Plugins.DefenderForIdentity.SensorApi;

/// <summary>The output of <c>mdi.probeSensorApi</c>: proof that this server reaches the Defender for Identity cloud service.</summary>
public sealed record ProbeSensorApiOutput
{
    /// <summary>The URL probed.</summary>
    public required string Url { get; init; }

    /// <summary>The HTTP status: 200, or 503 from workspaces that answer the ping that way.</summary>
    public required int Status { get; init; }

    /// <summary>Milliseconds from sending the request to receiving the answer's headers.</summary>
    public required long LatencyMs { get; init; }

    /// <summary>Whether the request went through <see cref="ProbeSensorApiInput.ProxyUrl"/>.</summary>
    public required bool ViaProxy { get; init; }

    /// <summary>
    /// The other endpoints the documentation puts on the allow-list beside the sensor API, for the firewall or proxy owner:
    /// certificate revocation and trust lists, the PKI repositories and the sensor package host.
    /// </summary>
    public IReadOnlyList<string> AllowList { get; init; } = ["crl.microsoft.com", "ctldl.windowsupdate.com", "www.microsoft.com/pkiops/*", "www.microsoft.com/pki/*", "sensorpackage-prd.mdi.securitycenter.microsoft.com"];

    /// <summary>What the answer means, when it needs saying (for example a 503 that still proves reachability).</summary>
    public string? Note { get; init; }
}
