namespace MdiFlow.Plugins.DefenderForIdentity.SensorApi;

/// <summary>The input of <c>mdi.probeSensorApi</c>.</summary>
public sealed record ProbeSensorApiInput
{
    /// <summary>The workspace (instance) name: the ping goes to <c>https://{workspace}sensorapi.atp.azure.com/tri/sensor/api/ping</c>.</summary>
    public required string Workspace { get; init; }

    /// <summary>The proxy the sensor will use, for example <c>http://proxy.contoso.com:8080</c>; direct when absent.</summary>
    public string? ProxyUrl { get; init; }

    /// <summary>
    /// The proxy's credentials, <c>user:password</c>: bound from a secret (<c>{{ secrets.proxyCredential }}</c>), or a
    /// reference, <c>env:NAME</c> or <c>file:PATH</c>, read when the step runs. Never shown in an output or error.
    /// </summary>
    public string? ProxyCredential { get; init; }

    /// <summary>How long to wait for the answer, as ISO 8601 (<c>PT30S</c>) or <c>hh:mm:ss</c>. Default 30 seconds.</summary>
    public string? Timeout { get; init; }
}
