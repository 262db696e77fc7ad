using System.Collections.Concurrent;
using System.Diagnostics;
using ActivityContext = MdiFlow.Activities.ActivityContext;
using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Hosting;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Sqlite;
using MdiFlow.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Benchmarks.Engines;

/// <summary>An embedded MdiFlow engine as an application would host it, over the chosen store, with the benchmark activities.</summary>
internal sealed class MdiFlowBench : IAsyncDisposable
{
    public static readonly Actor Operator = new("bench-operator", ActorSources.OperatingSystem);
    public static readonly Actor Approver = new("bench-approver", ActorSources.OperatingSystem);

    private static readonly RunRequest Run = new() { Actor = Operator };
    private static readonly StartRequest Start = new() { Actor = Operator };
    private readonly ServiceProvider _provider;

    private MdiFlowBench(Func<IWorkflowStore> createStore)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Probe);
        services.AddMdiFlow(flow => flow.UseStore(_ => Store = new CountingStore(createStore())))
            .AddActivity<NoOpActivity>()
            .AddActivity<ProbeActivity>();
        _provider = services.BuildServiceProvider();
        Engine = _provider.GetRequiredService<WorkflowEngine>();
        var validator = _provider.GetRequiredService<WorkflowValidator>();
        NoOps = Valid(validator, NoOpWorkflow(10));
        Gated = Valid(validator, GatedWorkflow());
    }

    public WorkflowEngine Engine { get; }

    /// <summary>The store, counting the writes (creates and saves) that reach it.</summary>
    public CountingStore Store { get; private set; } = null!;

    public ProbeSignals Probe { get; } = new();

    /// <summary>Ten no-op steps.</summary>
    public WorkflowDefinition NoOps { get; }

    /// <summary>A no-op step, an approval gate for <see cref="Approver"/>, then the probe step.</summary>
    public WorkflowDefinition Gated { get; }

    public static MdiFlowBench InMemory() => new(() => new InMemoryWorkflowStore());

    public static MdiFlowBench Sqlite(string path, SqliteSynchronous synchronous = SqliteSynchronous.Full) =>
        new(() => new SqliteWorkflowStore(new SqliteStoreOptions { Path = path, Synchronous = synchronous, BusyTimeout = TimeSpan.FromSeconds(30) }));

    /// <summary>On a PostgreSQL store keyed with <paramref name="keyFile"/> (never the host's key: a benchmark must not create /etc/mdiflow/journal.key).</summary>
    public static MdiFlowBench PostgreSql(string connectionString, string keyFile) =>
        new(() => new PostgreSql.PostgreSqlWorkflowStore(new PostgreSql.PostgreSqlStoreOptions { ConnectionString = connectionString, KeyFile = keyFile }));

    /// <summary>Starts an instance and runs it until it completes or waits.</summary>
    public async Task<WorkflowInstance> StartAndRunAsync(WorkflowDefinition definition)
    {
        var instance = await Engine.StartAsync(definition, Start).ConfigureAwait(false);
        return (await Engine.RunAsync(instance.Id, Run).ConfigureAwait(false)).Instance;
    }

    public Task<GateActionResult> ApproveAsync(InstanceId id) =>
        Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Approve, Actor = Approver, Text = "benchmark" });

    public Task<RunResult> ResumeAsync(InstanceId id) => Engine.RunAsync(id, Run);

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    public static WorkflowDefinition NoOpWorkflow(int steps)
    {
        var builder = new WorkflowBuilder("bench-noops").Title($"{steps} no-op steps");
        for (var i = 1; i <= steps; i++)
        {
            builder.Step($"step{i}", NoOpActivity.Name);
        }

        return builder.Build();
    }

    public static WorkflowDefinition GatedWorkflow() => new WorkflowBuilder("bench-gated")
        .Title("A step, an approval gate, then the probed step")
        .Step("prepare", NoOpActivity.Name)
        .Step("board", GateKinds.Approval, new { approvers = new[] { "user:" + Approver.Name }, instructions = "Approve the benchmark." })
        .Step("apply", ProbeActivity.Name)
        .Build();

    private static WorkflowDefinition Valid(WorkflowValidator validator, WorkflowDefinition definition)
    {
        var errors = validator.Validate(definition);
        return errors.Count == 0 ? definition : throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
    }
}

/// <summary>Completes at once: the MdiFlow side of Workflow Core's no-op <c>StepBody</c>.</summary>
[Activity(Name, Description = "Does nothing and completes.", Recovery = RecoveryMode.Idempotent)]
internal sealed class NoOpActivity : IActivity
{
    public const string Name = "bench.noop";

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.Complete());
}

/// <summary>Records when it starts executing, per instance: the end of an approval-to-resume sample.</summary>
[Activity(Name, Description = "Records the moment it starts, then completes.", Recovery = RecoveryMode.Idempotent)]
internal sealed class ProbeActivity(ProbeSignals signals) : IActivity
{
    public const string Name = "bench.probe";

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        signals.Hit(context.InstanceId.Value);
        return ValueTask.FromResult(ActivityResult.Complete());
    }
}

/// <summary>The moment a probed step started, per instance (Stopwatch timestamps).</summary>
internal sealed class ProbeSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _hits = new(StringComparer.Ordinal);

    public Task<long> WaitAsync(string instance) => Signal(instance).Task;

    public void Hit(string instance) => Signal(instance).TrySetResult(Stopwatch.GetTimestamp());

    public void Forget(string instance) => _hits.TryRemove(instance, out _);

    private TaskCompletionSource<long> Signal(string instance) =>
        _hits.GetOrAdd(instance, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>Counts the writes that reach a store: each is one persisted transition.</summary>
internal sealed class CountingStore(IWorkflowStore inner) : IWorkflowStore, IDisposable
{
    private long _writes;

    public long Writes => Interlocked.Read(ref _writes);

    public IWorkflowStore Inner => inner;

    public ValueTask CreateAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default) =>
        Counted(inner.CreateAsync(instance, entries, cancellationToken));

    public ValueTask SaveAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default) =>
        Counted(inner.SaveAsync(instance, entries, cancellationToken));

    public ValueTask<WorkflowInstance?> FindAsync(InstanceId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<InstanceId>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default) => inner.FindByPrefixAsync(prefix, limit, cancellationToken);

    public ValueTask<IReadOnlyList<InstanceSummary>> ListAsync(InstanceQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);

    public ValueTask<IReadOnlyList<JournalEntry>> ReadJournalAsync(InstanceId id, CancellationToken cancellationToken = default) => inner.ReadJournalAsync(id, cancellationToken);

    public ValueTask<JournalTail?> ReadJournalTailAsync(InstanceId id, CancellationToken cancellationToken = default) => inner.ReadJournalTailAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<RunnableInstance>> FindRunnableAsync(DateTimeOffset now, string host, int limit, CancellationToken cancellationToken = default) => inner.FindRunnableAsync(now, host, limit, cancellationToken);

    public void Dispose() => (inner as IDisposable)?.Dispose();

    /// <summary>Counts a write once it succeeded, adding no await (and no cost) when the store completed it at once.</summary>
    private ValueTask Counted(ValueTask write)
    {
        if (write.IsCompletedSuccessfully)
        {
            Interlocked.Increment(ref _writes);
            return write;
        }

        return Awaited(write);
    }

    private async ValueTask Awaited(ValueTask write)
    {
        await write.ConfigureAwait(false);
        Interlocked.Increment(ref _writes);
    }
}
