using MdiFlow.Engine;
using MdiFlow.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MdiFlow.Hosting;

/// <summary>Adds the MdiFlow worker to a host.</summary>
public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="WorkflowWorker"/> as a hosted service: while the host runs it runs ready instances, retries that
    /// are due, acts on expired gates and recovers runs whose process died, as <see cref="WorkerOptions.Actor"/> and
    /// only what the policy lets it run. Its options are checked when the host starts (every mistake at once).
    /// Call <c>AddMdiFlow</c> too, for the engine and the store.
    /// </summary>
    /// <example><code>
    /// var builder = Host.CreateApplicationBuilder(args);
    /// builder.Services.AddMdiFlow(flow => flow.UseSqlite("mdiflow.db")).AddActivitiesFrom&lt;MyActivity&gt;();
    /// builder.Services.AddMdiFlowWorker(worker => worker.PollInterval = TimeSpan.FromSeconds(10));
    /// await builder.Build().RunAsync();
    /// </code></example>
    public static IServiceCollection AddMdiFlowWorker(this IServiceCollection services, Action<WorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WorkerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>());
        services.TryAddSingleton<IWorkerRunner>(sp => new EngineRunner(sp.GetRequiredService<WorkflowEngine>()));
        services.TryAddSingleton(sp => new WorkflowWorker(
            sp.GetRequiredService<WorkflowEngine>(),
            sp.GetRequiredService<Storage.IWorkflowStore>(),
            sp.GetRequiredService<IWorkerRunner>(),
            sp.GetRequiredService<IOptions<WorkerOptions>>().Value,
            sp.GetRequiredService<IOptions<EngineOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("MdiFlow.Worker"),
            sp.GetServices<IWorkerObserver>(),
            sp.GetService<IWakeSignal>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WorkerService>());
        return services;
    }
}
