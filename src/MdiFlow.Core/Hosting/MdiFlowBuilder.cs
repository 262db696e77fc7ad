using System.Reflection;
using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Journal;
using MdiFlow.Policy;
using MdiFlow.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MdiFlow.Hosting;

/// <summary>Configures MdiFlow in a service collection: the store, the activities, the engine options.</summary>
public sealed class MdiFlowBuilder
{
    internal MdiFlowBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for store and plugin extensions.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses the given store for instances and journals.</summary>
    public MdiFlowBuilder UseStore(Func<IServiceProvider, IWorkflowStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<IWorkflowStore>();
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>Keeps instances in process memory (tests, benchmarks), with a journal key that lives as long as the process.</summary>
    public MdiFlowBuilder UseInMemoryStore()
    {
        UseJournalKey(JournalKeyProvider.From(JournalKey.Generate()));
        return UseStore(_ => new InMemoryWorkflowStore());
    }

    /// <summary>Keys the journal and seals the stored state with the key from <paramref name="keys"/> (a store extension chooses one by default).</summary>
    public MdiFlowBuilder UseJournalKey(JournalKeyProvider keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Services.RemoveAll<JournalKeyProvider>();
        Services.AddSingleton(keys);
        return this;
    }

    /// <summary>Applies an organisation policy given in code (groups, gate floors, start, run, skip and rehearsal rules).</summary>
    public MdiFlowBuilder UsePolicy(OrganisationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Services.RemoveAll<OrganisationPolicy>();
        Services.AddSingleton(policy);
        return this;
    }

    /// <summary>
    /// Applies the policy the administrator installed (<see cref="InstalledPolicy.SystemPath"/>; the built-in defaults
    /// when there is none), tightened by <paramref name="overlays"/>. It is read when the service provider first needs it.
    /// </summary>
    public MdiFlowBuilder UseInstalledPolicy(params PolicyOverlay[] overlays)
    {
        ArgumentNullException.ThrowIfNull(overlays);
        Services.RemoveAll<OrganisationPolicy>();
        Services.AddSingleton(_ => InstalledPolicy.Load(overlays));
        return this;
    }

    /// <summary>Sets engine options (lease length, host name).</summary>
    public MdiFlowBuilder Configure(Action<EngineOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>Installs every activity in the assembly that holds <typeparamref name="T"/>.</summary>
    public MdiFlowBuilder AddActivitiesFrom<T>() => AddActivitiesFrom(typeof(T).Assembly);

    /// <summary>Installs every activity (a class implementing <see cref="IActivity"/> with an <see cref="ActivityAttribute"/>) in the assemblies.</summary>
    public MdiFlowBuilder AddActivitiesFrom(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var before = Services.Count;
        Services.Scan(scan => scan
            .FromAssemblies(assemblies)
            .AddClasses(c => c.AssignableTo<IActivity>().WithAttribute<ActivityAttribute>(), publicOnly: false)
            .AsSelf()
            .WithTransientLifetime());
        foreach (var type in Services.Skip(before).Select(d => d.ImplementationType).OfType<Type>().ToList())
        {
            Services.AddSingleton(new ActivityRegistration(type));
        }

        return this;
    }

    /// <summary>
    /// Installs the decision rules of an embedder's own gate kind (<see cref="IGateDecider.Kind"/>): approve, reject and
    /// complete at such a gate are released through <see cref="WorkflowEngine.ActAsync"/> (and <c>mdiflow complete</c>),
    /// after the engine's own checks of the person.
    /// </summary>
    public MdiFlowBuilder AddGateDecider<T>()
        where T : class, IGateDecider
    {
        Services.AddSingleton<IGateDecider, T>();
        return this;
    }

    /// <summary>Installs one activity type.</summary>
    public MdiFlowBuilder AddActivity<T>()
        where T : class, IActivity
    {
        Services.TryAddTransient<T>();
        Services.AddSingleton(new ActivityRegistration(typeof(T)));
        return this;
    }
}

/// <summary>Adds MdiFlow to a service collection.</summary>
public static class MdiFlowServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine, the validator and the activity catalog. Choose a store in
    /// <paramref name="configure"/> (the in-memory store is the default).
    /// </summary>
    /// <example><code>services.AddMdiFlow(flow => flow.UseSqlite("mdiflow.db")).AddActivitiesFrom&lt;MyActivity&gt;();</code></example>
    public static MdiFlowBuilder AddMdiFlow(this IServiceCollection services, Action<MdiFlowBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new MdiFlowBuilder(services);
        services.AddOptions<EngineOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EngineOptions>, EngineOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWorkflowStore>(_ => new InMemoryWorkflowStore());
        services.TryAddSingleton(_ => JournalKeyProvider.From(JournalKey.Generate()));
        services.TryAddSingleton<ActivityCatalog>();
        services.TryAddSingleton<WorkflowValidator>();
        services.TryAddSingleton<WorkflowEngine>();
        services.TryAddSingleton(OrganisationPolicy.Default);
        builder.AddActivity<ApprovalActivity>().AddActivity<ManualTaskActivity>();
        configure?.Invoke(builder);
        return builder;
    }
}
