namespace MdiFlow.Lab.Servers;

/// <summary>One request a lab server received, as the lab recorded it before answering.</summary>
/// <param name="Server">Which server received it.</param>
/// <param name="Method">The HTTP method (<c>GET</c>, <c>POST</c>, <c>CONNECT</c>).</param>
/// <param name="Target">The path and query (for the proxy, the absolute URI or <c>host:port</c> it was asked for).</param>
/// <param name="ViaProxy">Whether the request came through the lab's proxy.</param>
/// <param name="Status">The status code answered, or 0 when the lab dropped the connection instead (as a firewall does).</param>
/// <param name="At">When it arrived.</param>
public sealed record LabRequest(LabServer Server, string Method, string Target, bool ViaProxy, int Status, DateTimeOffset At)
{
    /// <summary>Whether the lab reset the connection instead of answering.</summary>
    public bool Dropped => Status == 0;
}

/// <summary>The lab's servers.</summary>
public enum LabServer
{
    /// <summary>The Microsoft Graph stand-in.</summary>
    Graph,

    /// <summary>The sensor API (<c>{workspace}sensorapi.atp.azure.com</c>) stand-in.</summary>
    SensorApi,

    /// <summary>The HTTP forward proxy.</summary>
    Proxy,

    /// <summary>The sensor package host (<c>sensorpackage-prd.mdi.securitycenter.microsoft.com</c>) stand-in.</summary>
    Package,
}
