using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Hosting;
using MdiFlow.Plugins.Standard;
using MdiFlow.Policy;
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
    public static CliSession WithoutStore() => Create(null, null, null);

    public static CliSession Open(StoreLocation location, string? policyPath = null, string? host = null) => Create(location, policyPath, host);

    private static CliSession Create(StoreLocation? location, string? policyPath, string? host)
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow =>
        {
            if (location is not null)
            {
                flow.UseSqlite(location.Target);
                flow.UsePolicy(LoadPolicy(location, policyPath));
            }

            if (host is not null)
            {
                flow.Configure(o => o.HostName = host);
            }
        }).AddStandardActivities();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        return new CliSession(provider, location ?? new StoreLocation("sqlite", "mdiflow.db", false));
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    /// <summary><c>--policy</c>, else <c>MDIFLOW_POLICY</c>, else <c>mdiflow.policy.json</c> beside the store, else the defaults.</summary>
    private static OrganisationPolicy LoadPolicy(StoreLocation location, string? option)
    {
        var path = !string.IsNullOrWhiteSpace(option) ? option : Environment.GetEnvironmentVariable("MDIFLOW_POLICY");
        if (!string.IsNullOrWhiteSpace(path))
        {
            return File.Exists(path) ? OrganisationPolicy.Load(path) : throw new UsageException($"The policy file '{path}' does not exist.");
        }

        var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(location.Target)) ?? ".", "mdiflow.policy.json");
        return File.Exists(beside) ? OrganisationPolicy.Load(beside) : OrganisationPolicy.Default;
    }
}
