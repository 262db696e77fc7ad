using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MdiFlow.Workers;

/// <summary>The worker as a hosted service: it runs while the host runs, and hands back the step under way when the host stops.</summary>
/// <remarks>The worker (and the engine under it) is resolved once the host has started, after the host has checked every option.</remarks>
internal sealed class WorkerService(IServiceProvider services) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        services.GetRequiredService<WorkflowWorker>().RunAsync(stoppingToken);
}
