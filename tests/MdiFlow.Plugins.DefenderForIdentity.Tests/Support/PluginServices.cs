using Azure.Core;
using MdiFlow.Hosting;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

/// <summary>The plugin as a host registers it, with test doubles for the seams a lab replaces.</summary>
internal static class PluginServices
{
    public static ServiceProvider Build(
        Uri? graph = null,
        TimeProvider? time = null,
        TokenCredential? credential = null,
        IHostFacts? host = null,
        ISetupLauncher? launcher = null,
        Action<DefenderForIdentityOptions>? configure = null,
        Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        register?.Invoke(services);
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton(credential ?? new FakeTokenCredential());
        if (host is not null)
        {
            services.AddSingleton(host);
        }

        if (launcher is not null)
        {
            services.AddSingleton(launcher);
        }

        services.AddMdiFlow(flow => flow.AddDefenderForIdentity(options =>
        {
            if (graph is not null)
            {
                options.GraphBaseAddress = graph;
            }

            configure?.Invoke(options);
        }));
        return services.BuildServiceProvider();
    }
}
