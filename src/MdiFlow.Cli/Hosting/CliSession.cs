using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Hosting;
using MdiFlow.Plugins.Standard;
using MdiFlow.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Cli.Hosting;

/// <summary>The services one command uses: the engine over the chosen store, with every installed plugin.</summary>
internal sealed class CliSession : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private CliSession(ServiceProvider provider, StoreLocation location)
    {
        _provider = provider;
        Location = location;
    }

    public StoreLocation Location { get; }

    public WorkflowEngine Engine => _provider.GetRequiredService<WorkflowEngine>();

    public IWorkflowStore Store => _provider.GetRequiredService<IWorkflowStore>();

    public ActivityCatalog Catalog => _provider.GetRequiredService<ActivityCatalog>();

    public WorkflowValidator Validator => _provider.GetRequiredService<WorkflowValidator>();

    /// <summary>The activities alone, without opening any store (validate, activities, graph).</summary>
    public static CliSession WithoutStore() => Create(null);

    public static CliSession Open(StoreLocation location) => Create(location);

    private static CliSession Create(StoreLocation? location)
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow =>
        {
            if (location is not null)
            {
                flow.UseSqlite(location.Target);
            }
        }).AddStandardActivities();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        return new CliSession(provider, location ?? new StoreLocation("sqlite", "mdiflow.db", false));
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
