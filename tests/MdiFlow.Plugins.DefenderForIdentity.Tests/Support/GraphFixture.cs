using MdiFlow.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

/// <summary>A loopback Graph and the plugin's services pointed at it, for activity tests.</summary>
public abstract class GraphFixture : IAsyncLifetime
{
    private ServiceProvider? _services;

    internal GraphServer Graph { get; private set; } = null!;

    internal ServiceProvider Services => _services ??= PluginServices.Build(Graph.BaseAddress, configure: Configure);

    public Task InitializeAsync()
    {
        Graph = new GraphServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await Graph.DisposeAsync();
    }

    internal T Activity<T>()
        where T : IActivity => Services.GetRequiredService<T>();

    private protected virtual void Configure(DefenderForIdentityOptions options)
    {
    }
}
