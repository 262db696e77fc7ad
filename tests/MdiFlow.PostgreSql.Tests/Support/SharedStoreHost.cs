using MdiFlow.Engine;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.HostWorker;
using MdiFlow.Storage;
using MdiFlow.Workers;
using MdiFlow.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.PostgreSql.Tests.Support;

/// <summary>
/// One host of a shared store inside the test process: its own PostgreSQL store instance (its own connections), an
/// engine named for <see cref="Host"/> with the host activities (and <see cref="HeldActivity"/>), its own clock, and
/// the library's worker. Two of them on one database are two hosts that share nothing but the server.
/// </summary>
internal sealed class SharedStoreHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public SharedStoreHost(TestDatabase database, string host, TimeProvider time, HeldSignals? held = null, string? keyFile = null, TimeSpan? lease = null)
    {
        Host = host;
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSingleton(held ?? new HeldSignals());
        services.AddMdiFlow(flow => flow
                .UsePostgreSql(o =>
                {
                    o.ConnectionString = database.ConnectionString;
                    o.KeyFile = keyFile ?? database.KeyFile;
                })
                .Configure(o =>
                {
                    o.HostName = host;
                    o.LeaseDuration = lease ?? o.LeaseDuration;
                })
                .UsePolicy(MdiFlow.Policy.OrganisationPolicy.Parse(PolicyJson, "test"))
                .AddActivity<HeldActivity>())
            .AddActivitiesFrom<HoldInput>();
        services.AddMdiFlowWorker(o =>
        {
            o.HostName = host;
            o.Actor = Owner;
        });
        _provider = services.BuildServiceProvider();
    }

    /// <summary>Who starts and runs the tests' instances (the worker acts as the same account, so the policy lets it run them).</summary>
    public static Actor Owner { get; } = new(Environment.UserName, ActorSources.OperatingSystem);

    /// <summary>The policy of every host in these tests (and of <see cref="SystemKey"/>'s when a test installs it for the CLI): a requester may approve.</summary>
    public const string PolicyJson = """{ "gates": { "requesterMayApprove": true } }""";

    public string Host { get; }

    public WorkflowEngine Engine => _provider.GetRequiredService<WorkflowEngine>();

    public PostgreSqlWorkflowStore Store => (PostgreSqlWorkflowStore)_provider.GetRequiredService<IWorkflowStore>();

    public WorkflowWorker Worker => _provider.GetRequiredService<WorkflowWorker>();

    /// <summary>Starts <paramref name="json"/> with its host-affine steps placed on <paramref name="target"/>.</summary>
    public async Task<MdiFlow.Instances.WorkflowInstance> StartAsync(string json, string target)
    {
        var loaded = _provider.GetRequiredService<MdiFlow.Definitions.WorkflowValidator>().Parse(json);
        loaded.Errors.Should().BeEmpty();
        var definition = loaded.Definition!;
        return await Engine.StartAsync(definition, new StartRequest { Actor = Owner, Labels = new Dictionary<string, string> { [MdiFlow.Instances.InstanceLabels.Host] = target } });
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
