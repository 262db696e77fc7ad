using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Hosting;
using MdiFlow.Instances;
using MdiFlow.Lab;
using MdiFlow.Plugins.DefenderForIdentity;
using MdiFlow.Plugins.Standard;
using MdiFlow.Policy;
using MdiFlow.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Cli.Hosting;

/// <summary>The services one command uses: the engine over the chosen store, with every installed plugin.</summary>
internal sealed class CliSession : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly LabEnvironment? _lab;

    private CliSession(ServiceProvider provider, StoreLocation location, LabEnvironment? lab)
    {
        _provider = provider;
        Location = location;
        _lab = lab;
    }

    /// <summary>The rehearsal lab, when this session runs a lab instance.</summary>
    public LabEnvironment? Lab => _lab;

    public StoreLocation Location { get; }

    public WorkflowEngine Engine => _provider.GetRequiredService<WorkflowEngine>();

    public IWorkflowStore Store => _provider.GetRequiredService<IWorkflowStore>();

    public ActivityCatalog Catalog => _provider.GetRequiredService<ActivityCatalog>();

    public WorkflowValidator Validator => _provider.GetRequiredService<WorkflowValidator>();

    /// <summary>The activities alone, without opening any store (validate, activities, graph).</summary>
    public static CliSession WithoutStore() => Create(null, null, null, null, rehearsal: false);

    public static CliSession Open(StoreLocation location, string? policyPath = null, string? host = null) => Create(location, policyPath, host, null, rehearsal: false);

    /// <summary>A session whose MDI activities run against the rehearsal lab (which the session then owns).</summary>
    public static CliSession OpenLab(StoreLocation location, string? policyPath, LabEnvironment lab) => Create(location, policyPath, null, lab, rehearsal: true);

    /// <summary>
    /// A session for a command on one existing instance: a rehearsal instance gets the rehearsal policy when no
    /// organisation policy is given, and its lab when <paramref name="startLab"/> (commands that run steps).
    /// </summary>
    public static async Task<(CliSession Session, WorkflowInstance Instance)> ForInstanceAsync(
        StoreLocation location, string? policyPath, string idOrPrefix, Func<WorkflowInstance, string?>? startLab, CancellationToken cancellationToken)
    {
        var session = Open(location, policyPath);
        WorkflowInstance instance;
        try
        {
            var id = await session.Engine.ResolveAsync(idOrPrefix, cancellationToken).ConfigureAwait(false);
            instance = await session.Engine.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (!instance.IsLab)
            {
                return (session, instance);
            }
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await session.DisposeAsync().ConfigureAwait(false);
        var profile = startLab?.Invoke(instance);
        if (profile is null)
        {
            return (Create(location, policyPath, null, null, rehearsal: true), instance);
        }

        var lab = await LabRehearsal.StartAsync(location, profile, cancellationToken).ConfigureAwait(false);
        return (OpenLab(location, policyPath, lab), instance);
    }

    private static CliSession Create(StoreLocation? location, string? policyPath, string? host, LabEnvironment? lab, bool rehearsal)
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow =>
        {
            if (location is not null)
            {
                UseStore(flow, location);
                flow.UsePolicy(LoadPolicy(location, policyPath) ?? (rehearsal ? LabRehearsal.Policy : OrganisationPolicy.Default));
            }

            flow.AddDefenderForIdentity();
            if (lab is not null)
            {
                flow.UseDefenderForIdentityLab(lab);
            }

            if (host is not null)
            {
                flow.Configure(o => o.HostName = host);
            }
        }).AddStandardActivities();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        return new CliSession(provider, location ?? new StoreLocation("sqlite", "mdiflow.db", false), lab);
    }

    private static void UseStore(MdiFlowBuilder flow, StoreLocation location)
    {
        if (location.Kind != StoreLocation.Postgres)
        {
            flow.UseSqlite(location.Target);
            return;
        }

        try
        {
            flow.UsePostgreSql(location.Target);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync().ConfigureAwait(false);
        if (_lab is not null)
        {
            await _lab.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary><c>--policy</c>, else <c>MDIFLOW_POLICY</c>, else <c>mdiflow.policy.json</c> beside the store, else the defaults.</summary>
    private static OrganisationPolicy? LoadPolicy(StoreLocation location, string? option)
    {
        var path = !string.IsNullOrWhiteSpace(option) ? option : Environment.GetEnvironmentVariable("MDIFLOW_POLICY");
        if (!string.IsNullOrWhiteSpace(path))
        {
            return File.Exists(path) ? OrganisationPolicy.Load(path) : throw new UsageException($"The policy file '{path}' does not exist.");
        }

        var beside = Path.Combine(location.Folder, "mdiflow.policy.json");
        return File.Exists(beside) ? OrganisationPolicy.Load(beside) : null;
    }
}
