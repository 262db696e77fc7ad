namespace MdiFlow.Engine;

/// <summary>How the engine runs instances.</summary>
public sealed class EngineOptions
{
    /// <summary>How long a lease on a running instance lasts without renewal.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The name of this host, recorded in leases.</summary>
    public string HostName { get; set; } = Environment.MachineName;

    /// <summary>Retry delays up to this long are waited for in process; longer ones park the instance as scheduled.</summary>
    public TimeSpan InProcessRetryLimit { get; set; } = TimeSpan.FromSeconds(30);
}
