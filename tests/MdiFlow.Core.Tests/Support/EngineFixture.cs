using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Hosting;
using MdiFlow.Journal;
using MdiFlow.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Core.Tests.Support;

/// <summary>A real engine over a real in-memory store, with the test activities and a fake clock.</summary>
public sealed class EngineFixture : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public EngineFixture(Action<MdiFlowBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(Effects);
        services.AddSingleton(Signals);
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(Logs);
        var builder = services.AddMdiFlow().AddActivitiesFrom<EngineFixture>();
        configure?.Invoke(builder);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public static Actor Alice { get; } = new("alice", ActorSources.OperatingSystem);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    public SideEffects Effects { get; } = new();

    public Signals Signals { get; } = new();

    public RecordingLogs Logs { get; } = new();

    public WorkflowEngine Engine => _provider.GetRequiredService<WorkflowEngine>();

    public IServiceProvider Services => _provider;

    /// <summary>Another engine over the same store and clock, as a second process would have (its own lease owner).</summary>
    public WorkflowEngine SecondEngine(TimeProvider? clock = null) =>
        new(Store, Catalog, Validator, _provider, clock ?? Time, Microsoft.Extensions.Options.Options.Create(new EngineOptions()), _provider.GetRequiredService<MdiFlow.Policy.OrganisationPolicy>(), Keys);

    /// <summary>The journal key of this fixture's store.</summary>
    public JournalKeyProvider Keys => _provider.GetRequiredService<JournalKeyProvider>();

    /// <summary>Checks an instance's keyed journal chain under this fixture's key.</summary>
    public JournalBreak? Verify(MdiFlow.Instances.InstanceId id, IReadOnlyList<JournalEntry> journal) => JournalChain.Verify(Keys.Get(), id, journal);

    public IWorkflowStore Store => _provider.GetRequiredService<IWorkflowStore>();

    public ActivityCatalog Catalog => _provider.GetRequiredService<ActivityCatalog>();

    public WorkflowValidator Validator => _provider.GetRequiredService<WorkflowValidator>();

    public WorkflowDefinition Parse(string json)
    {
        var loaded = Validator.Parse(json);
        loaded.Errors.Should().BeEmpty();
        return loaded.Definition!;
    }

    public async Task<RunResult> StartAndRunAsync(WorkflowDefinition definition, StartRequest? request = null, CancellationToken cancellationToken = default)
    {
        var instance = await Engine.StartAsync(definition, request ?? new StartRequest { Actor = Alice }, cancellationToken);
        return await Engine.RunAsync(instance.Id, new RunRequest { Actor = Alice }, cancellationToken);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
