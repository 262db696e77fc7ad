using MdiFlow.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

/// <summary>A loopback Graph and the plugin's services pointed at it, for activity tests.</summary>
public abstract class GraphFixture : IAsyncLifetime
{
    private ServiceProvider? _services;

    internal GraphServer Graph { get; private set; } = null!;

    internal ServiceProvider Services => _services ??= PluginServices.Build(Graph.BaseAddress, Time, configure: Configure, register: Register);

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

    /// <summary>The clock the plugin's services use (the system clock unless a test fixture fakes it).</summary>
    private protected virtual TimeProvider Time => TimeProvider.System;

    private protected virtual void Configure(DefenderForIdentityOptions options)
    {
    }

    private protected virtual void Register(IServiceCollection services)
    {
    }
}
