using System.Threading.Channels;
using MdiFlow.Core.Tests.Support;
using MdiFlow.Testing;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Hosting;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Policy;
using MdiFlow.Storage;
using MdiFlow.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MdiFlow.Core.Tests.Workers;

/// <summary>The library worker in a plain generic host, over a real in-memory store, on a fake clock.</summary>
public sealed class WorkflowWorkerTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    private readonly TimerClock _clock = new(T0);
    private readonly InMemoryWorkflowStore _store = new();
    private readonly JournalKeyProvider _keys = JournalKeyProvider.From(JournalKey.Generate());
    private readonly PassLog _passes = new();
    private readonly SideEffects _effects = new();
    private readonly RecordingLogs _logs = new();
    private readonly List<IAsyncDisposable> _owned = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_hosted_worker_resumes_a_due_retry_rejects_an_expired_gate_and_recovers_a_dead_lease()
    {
        var setup = Process(_clock, new Signals());
        var retry = await StartAsync(setup, """
            { "id": "retry", "steps": [ { "id": "flaky", "uses": "test.flaky", "with": { "failures": 1 },
              "retry": { "maxAttempts": 2, "initialDelay": "PT10M" } } ] }
            """);
        retry.Status.Should().Be(InstanceStatus.Scheduled);
        var gate = await StartAsync(setup, """
            { "id": "gate", "steps": [ { "id": "board", "uses": "approval", "with": { "approvers": ["user:bob"], "expiresAfter": "PT1H", "onExpiry": "reject" } } ] }
            """);
        gate.Status.Should().Be(InstanceStatus.Waiting);

        // A process that dies mid-step: its clock stops, so it never renews its lease, and its step never returns.
        var deadSignals = new Signals();
        var dead = Process(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0), deadSignals);
        var crashed = await dead.Engine.StartAsync(Parse(dead, """{ "id": "crash", "steps": [ { "id": "held", "uses": "test.block" } ] }"""), new StartRequest { Actor = EngineFixture.Alice });
        var deadRun = dead.Engine.RunAsync(crashed.Id, new RunRequest { Actor = EngineFixture.Alice });
        await deadSignals.Entered.WaitAsync(TimeSpan.FromSeconds(30));

        _clock.Advance(TimeSpan.FromHours(2));
        var workerSignals = new Signals();
        workerSignals.Release.SetResult();
        using var host = BuildHost(workerSignals);
        await host.StartAsync();
        var pass = await _passes.NextAsync();

        pass.Outcomes.Should().BeEquivalentTo(
        [
            new WorkerOutcome(crashed.Id, WakeReason.LeaseExpiry, InstanceStatus.Running, InstanceStatus.Completed, true),
            new WorkerOutcome(retry.Id, WakeReason.RetryDue, InstanceStatus.Scheduled, InstanceStatus.Completed, true),
            new WorkerOutcome(gate.Id, WakeReason.GateExpiry, InstanceStatus.Waiting, InstanceStatus.Rejected, true),
        ]);
        (await _store.FindAsync(retry.Id))!.Steps[0].Attempts.Should().Be(2);
        (await _store.ReadJournalAsync(gate.Id)).Should().Contain(e => e.Kind == GateKeeper.Expired && e.Step == "board");
        var recovered = await _store.ReadJournalAsync(crashed.Id);
        recovered.Should().Contain(e => e.Kind == JournalKinds.InstanceRecovered && e.Step == "held");
        recovered.Should().Contain(e => e.Kind == JournalKinds.InstanceCompleted && e.Actor == "svc-mdiflow");
        _logs.Messages.Should().Contain(m => m.StartsWith($"Recovering instance {crashed.Id} at step held", StringComparison.Ordinal));
        _logs.Messages.Should().Contain(m => m.StartsWith($"The gate of instance {gate.Id} expired: it was rejected.", StringComparison.Ordinal));

        await host.StopAsync();
        deadSignals.Release.SetResult();
        await FluentActions.Awaiting(() => deadRun).Should().ThrowAsync<ConcurrencyException>("the dead process's lease was taken over");
    }

    [Fact]
    public async Task Nothing_is_run_before_it_is_due_and_the_next_poll_after_the_due_time_runs_it()
    {
        var setup = Process(_clock, new Signals());
        var retry = await StartAsync(setup, """
            { "id": "retry", "steps": [ { "id": "flaky", "uses": "test.flaky", "with": { "failures": 1 },
              "retry": { "maxAttempts": 2, "initialDelay": "PT1M" } } ] }
            """);
        using var host = BuildHost(new Signals());
        await host.StartAsync();

        (await _passes.NextAsync()).Outcomes.Should().BeEmpty();
        await _clock.TimerSetAsync(Poll);
        _clock.Advance(Poll);
        (await _passes.NextAsync()).Outcomes.Should().BeEmpty();
        (await _store.FindAsync(retry.Id))!.Status.Should().Be(InstanceStatus.Scheduled);

        await _clock.TimerSetAsync(Poll);
        _clock.Advance(TimeSpan.FromMinutes(1));
        (await _passes.NextAsync()).Outcomes.Should().Equal(new WorkerOutcome(retry.Id, WakeReason.RetryDue, InstanceStatus.Scheduled, InstanceStatus.Completed, true));
        await host.StopAsync();
    }

    [Fact]
    public async Task An_instance_the_policy_does_not_let_the_worker_run_is_reported_and_journaled_once()
    {
        var setup = Process(_clock, new Signals());
        var instance = await setup.Engine.StartAsync(Parse(setup, """{ "id": "w", "steps": [ { "id": "a", "uses": "test.echo", "with": { "message": "x" } } ] }"""), new StartRequest { Actor = EngineFixture.Alice });
        using var host = BuildHost(new Signals(), OrganisationPolicy.Default);
        await host.StartAsync();

        var first = await _passes.NextAsync();
        first.Outcomes.Should().ContainSingle().Which.Should().Match<WorkerOutcome>(o => o.Id == instance.Id && !o.Advanced && o.NotRun!.Contains("svc-mdiflow"));
        await _clock.TimerSetAsync(Poll);
        _clock.Advance(TimeSpan.FromMinutes(11));
        (await _passes.NextAsync()).Outcomes.Should().ContainSingle().Which.NotRun.Should().NotBeNull("after the recheck time it is looked at again");
        await host.StopAsync();

        (await _store.ReadJournalAsync(instance.Id)).Count(e => e.Kind == JournalKinds.RunRefused).Should().Be(1);
        (await _store.FindAsync(instance.Id))!.Status.Should().Be(InstanceStatus.Pending);
        _logs.Messages.Should().Contain(m => m.StartsWith($"svc-mdiflow may not run instance {instance.Id}:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_the_host_stops_the_step_under_way_and_hands_the_instance_back()
    {
        var released = new Signals();
        released.Release.SetResult();
        var setup = Process(_clock, released);
        var instance = await setup.Engine.StartAsync(Parse(setup, """{ "id": "w", "steps": [ { "id": "held", "uses": "test.block" } ] }"""), new StartRequest { Actor = EngineFixture.Alice });
        var signals = new Signals();
        using var host = BuildHost(signals);
        await host.StartAsync();
        await signals.Entered.WaitAsync(TimeSpan.FromSeconds(30));

        await host.StopAsync();

        var stopped = (await _store.FindAsync(instance.Id))!;
        (stopped.Status, stopped.Lease, stopped.Steps[0].Status).Should().Be((InstanceStatus.Ready, null, StepStatus.Running));
        _logs.Messages.Should().Contain(m => m.StartsWith($"The worker is stopping: the step under way in instance {instance.Id} was stopped", StringComparison.Ordinal));
        var resumed = await setup.Engine.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        (resumed.Status, resumed.Instance.Steps[0].Attempts).Should().Be((InstanceStatus.Completed, 2));
    }

    [Fact]
    public async Task Mistaken_options_stop_the_host_at_start_with_every_mistake_at_once()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddMdiFlow(flow => flow.Configure(o => o.LeaseDuration = TimeSpan.Zero));
        builder.Services.AddMdiFlowWorker(o =>
        {
            o.PollInterval = TimeSpan.Zero;
            o.BatchSize = 0;
            o.HostName = " ";
        });
        using var host = builder.Build();

        var start = () => host.StartAsync();

        var messages = (await start.Should().ThrowAsync<AggregateException>()).Which.InnerExceptions
            .OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
        messages.Should().BeEquivalentTo(
            "Engine LeaseDuration is 00:00:00; it must be at least 1 second: a step's lease is renewed every fifth of it, and once it runs out another process may take the instance over. The default is 5 minutes.",
            "Worker PollInterval is 00:00:00; it must be more than zero and at most one day (for example 00:00:05).",
            "Worker BatchSize is 0; it must be from 1 to 10000.",
            "Worker HostName is empty; leave it unset to use the engine's host name, or give this machine's name.");
    }

    private IHost BuildHost(Signals signals, OrganisationPolicy? policy = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.AddSingleton<ILoggerFactory>(_logs);
        builder.Services.AddSingleton(_effects);
        builder.Services.AddSingleton(signals);
        builder.Services.AddSingleton<IWorkerObserver>(_passes);
        builder.Services.AddMdiFlow(flow => flow
            .UseStore(_ => _store)
            .UseJournalKey(_keys)
            .UsePolicy(policy ?? OrganisationPolicy.Default with { Run = new RunRules { ForOthers = ["*"] } })
            .AddActivitiesFrom<EngineFixture>());
        builder.Services.AddMdiFlowWorker(o =>
        {
            o.PollInterval = Poll;
            o.Actor = new Actor("svc-mdiflow", ActorSources.OperatingSystem);
        });
        return builder.Build();
    }

    /// <summary>Another process over the same store: its own engine, clock and lease owner.</summary>
    private (WorkflowEngine Engine, WorkflowValidator Validator) Process(TimeProvider clock, Signals signals)
    {
        var services = new ServiceCollection()
            .AddSingleton(clock)
            .AddSingleton(_effects)
            .AddSingleton(signals);
        services.AddMdiFlow(flow => flow.UseStore(_ => _store).UseJournalKey(_keys).AddActivitiesFrom<EngineFixture>());
        var provider = services.BuildServiceProvider();
        _owned.Add(provider);
        return (provider.GetRequiredService<WorkflowEngine>(), provider.GetRequiredService<WorkflowValidator>());
    }

    private static WorkflowDefinition Parse((WorkflowEngine Engine, WorkflowValidator Validator) process, string json)
    {
        var loaded = process.Validator.Parse(json);
        loaded.Errors.Should().BeEmpty();
        return loaded.Definition!;
    }

    private static async Task<WorkflowInstance> StartAsync((WorkflowEngine Engine, WorkflowValidator Validator) process, string json)
    {
        var instance = await process.Engine.StartAsync(Parse(process, json), new StartRequest { Actor = EngineFixture.Alice });
        return (await process.Engine.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice })).Instance;
    }

    /// <summary>Every pass the worker reports, in order.</summary>
    private sealed class PassLog : IWorkerObserver
    {
        private readonly Channel<WorkerPass> _passes = Channel.CreateUnbounded<WorkerPass>();

        public void PassCompleted(WorkerPass pass) => _passes.Writer.TryWrite(pass);

        public async Task<WorkerPass> NextAsync()
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await _passes.Reader.ReadAsync(limit.Token);
        }
    }
}
