using MdiFlow.Activities;
using MdiFlow.Cli.Configuration;
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

/// <summary>
/// The services one command uses: the engine over the chosen store, with every installed plugin, under the policy
/// the administrator installed (tightened by any the command line names); a rehearsal's session is wired to its own lab.
/// </summary>
internal sealed class CliSession : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly LabEnvironment? _lab;

    private CliSession(ServiceProvider provider, CliGlobals? globals, LabEnvironment? lab)
    {
        _provider = provider;
        Globals = globals;
        _lab = lab;
    }

    /// <summary>The rehearsal lab, when this session runs a rehearsal instance.</summary>
    public LabEnvironment? Lab => _lab;

    public CliGlobals? Globals { get; }

    public WorkflowEngine Engine => _provider.GetRequiredService<WorkflowEngine>();

    public IWorkflowStore Store => _provider.GetRequiredService<IWorkflowStore>();

    public ActivityCatalog Catalog => _provider.GetRequiredService<ActivityCatalog>();

    public WorkflowValidator Validator => _provider.GetRequiredService<WorkflowValidator>();

    /// <summary>The activities alone, without opening any store (validate, activities, graph, plan).</summary>
    public static CliSession WithoutStore() => Create(null, null, null, null, readOnly: false);

    /// <summary>
    /// A session that only reads the store (list, show, audit): a store in a folder this account cannot write can still
    /// be read, and a store that does not exist yet reads as one without instances (nothing is created).
    /// </summary>
    public static CliSession ForReading(CliGlobals globals) =>
        globals.Store.Exists
            ? Create(globals, OrganisationPolicy.Default, null, null, readOnly: true)
            : Create(null, OrganisationPolicy.Default, null, null, readOnly: true);

    /// <summary>A session that changes real instances, under the installed policy.</summary>
    public static CliSession ForWriting(CliGlobals globals, string? host = null) => Create(globals, InstalledPolicyOf(globals), host, null, readOnly: false);

    /// <summary>A session wired to the lab of one rehearsal instance (which the session then owns).</summary>
    public static async Task<CliSession> ForRehearsalAsync(CliGlobals globals, InstanceId instance, string profile, CancellationToken cancellationToken)
    {
        var policy = LabRehearsal.PolicyFor(InstalledPolicyOf(globals));
        var lab = await LabRehearsal.StartAsync(globals.Store, instance, profile, cancellationToken).ConfigureAwait(false);
        return Create(globals, policy, null, lab, readOnly: false);
    }

    /// <summary>
    /// A session for a command on one existing instance. A rehearsal gets the rehearsal policy and, when
    /// <paramref name="startLab"/> (commands that run steps), its own lab on the profile it names.
    /// </summary>
    public static async Task<(CliSession Session, WorkflowInstance Instance)> ForInstanceAsync(
        CliGlobals globals, string idOrPrefix, bool startLab, CancellationToken cancellationToken)
    {
        var session = ForWriting(globals);
        WorkflowInstance instance;
        try
        {
            var id = await session.Engine.ResolveAsync(idOrPrefix, cancellationToken).ConfigureAwait(false);
            instance = await session.Engine.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (!instance.IsRehearsal)
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
        if (!startLab)
        {
            return (Create(globals, LabRehearsal.PolicyFor(InstalledPolicyOf(globals)), null, null, readOnly: false), instance);
        }

        return (await ForRehearsalAsync(globals, instance.Id, ProfileOf(instance), cancellationToken).ConfigureAwait(false), instance);
    }

    /// <summary>The lab profile a rehearsal runs against.</summary>
    public static string ProfileOf(WorkflowInstance instance) => instance.Labels.GetValueOrDefault(LabRehearsal.ProfileLabel) ?? LabRehearsal.DefaultProfile;

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync().ConfigureAwait(false);
        if (_lab is not null)
        {
            await _lab.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static OrganisationPolicy InstalledPolicyOf(CliGlobals globals) => InstalledPolicy.Load(globals.Overlays());

    private static CliSession Create(CliGlobals? globals, OrganisationPolicy? policy, string? host, LabEnvironment? lab, bool readOnly)
    {
        var services = new ServiceCollection();
        AddServices(services, globals, policy, host, lab, readOnly);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        try
        {
            // Every option of the engine, the store and the plugins, checked now and reported at once (exit 2).
            provider.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        }
        catch
        {
            provider.Dispose();
            throw;
        }

        CliTelemetry.Start(provider);
        return new CliSession(provider, globals, lab);
    }

    /// <summary>The services of every command (and of the worker's host): the engine over the store, every plugin, the policy.</summary>
    public static void AddServices(IServiceCollection services, CliGlobals? globals, OrganisationPolicy? policy, string? host, LabEnvironment? lab, bool readOnly)
    {
        services.AddMdiFlow(flow =>
        {
            if (globals is not null)
            {
                globals.Store.Use(flow, readOnly);
            }

            flow.UsePolicy(policy ?? OrganisationPolicy.Default);
            if (globals is not null)
            {
                flow.AddDefenderForIdentity(o => GraphSettings.Apply(globals.Configuration, o));
            }
            else
            {
                flow.AddDefenderForIdentity();
            }

            if (lab is not null)
            {
                flow.UseDefenderForIdentityLab(lab);
            }

            if (host is not null)
            {
                flow.Configure(o => o.HostName = host);
            }
        }).AddStandardActivities();
        CliTelemetry.Add(services);
    }

    /// <summary>The installed policy, tightened by the overlays this command line names.</summary>
    public static OrganisationPolicy PolicyOf(CliGlobals globals) => InstalledPolicyOf(globals);
}
