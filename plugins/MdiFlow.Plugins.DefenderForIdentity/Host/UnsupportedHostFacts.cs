namespace MdiFlow.Plugins.DefenderForIdentity.Host;

/// <summary>The host facts off Windows: every call throws <see cref="HostUnsupportedException"/>.</summary>
internal sealed class UnsupportedHostFacts : IHostFacts
{
    public ValueTask<ServerFacts> GetServerAsync(CancellationToken cancellationToken) => throw new HostUnsupportedException();

    public ValueTask<NetworkFacts> GetNetworkAsync(CancellationToken cancellationToken) => throw new HostUnsupportedException();

    public ValueTask<ServiceAccountFacts> GetServiceAccountAsync(string account, CancellationToken cancellationToken) => throw new HostUnsupportedException();

    public ValueTask<SensorInstallation> GetSensorAsync(CancellationToken cancellationToken) => throw new HostUnsupportedException();
}
