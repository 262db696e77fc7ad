using MdiFlow.Core.Tests.Support;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Core.Tests.Engine;

public sealed class RetryTests : IAsyncDisposable
{
    private readonly EngineFixture _f = new();

    [Fact]
    public async Task A_step_failing_twice_then_succeeding_under_three_attempts_completes_with_delays_from_the_policy()
    {
        var definition = _f.Parse("""
            { "id": "w", "steps": [ { "id": "flaky", "uses": "test.flaky", "with": { "failures": 2 },
              "retry": { "maxAttempts": 3, "initialDelay": "PT10S", "backoffCoefficient": 2 } } ] }
            """);
        var instance = await _f.Engine.StartAsync(definition, new StartRequest { Actor = EngineFixture.Alice });
        var observer = new RetryObserver();

        var run = _f.Engine.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice, Observer = observer });
        await observer.Waiting.WaitAsync();
        observer.Delays.Should().Equal(TimeSpan.FromSeconds(10));
        _f.Time.Advance(TimeSpan.FromSeconds(10));
        await observer.Waiting.WaitAsync();
        observer.Delays.Should().Equal(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        _f.Time.Advance(TimeSpan.FromSeconds(20));
        var result = await run;

        result.Status.Should().Be(InstanceStatus.Completed);
        result.Instance.Steps[0].Attempts.Should().Be(3);
        var starts = (await _f.Store.ReadJournalAsync(instance.Id)).Where(e => e.Kind == JournalKinds.StepStarted).Select(e => e.At).ToList();
        starts.Zip(starts.Skip(1), (a, b) => b - a).Should().Equal(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Under_two_attempts_the_instance_fails_and_a_resume_completes_it()
    {
        var definition = _f.Parse("""
            { "id": "w", "steps": [
              { "id": "first", "uses": "test.echo", "with": { "message": "a" } },
              { "id": "flaky", "uses": "test.flaky", "with": { "failures": 2 }, "retry": { "maxAttempts": 2, "initialDelay": "PT1S" } } ] }
            """);
        var instance = await _f.Engine.StartAsync(definition, new StartRequest { Actor = EngineFixture.Alice });
        var observer = new RetryObserver();
        var run = _f.Engine.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice, Observer = observer });
        await observer.Waiting.WaitAsync();
        _f.Time.Advance(TimeSpan.FromSeconds(1));

        (await run).Status.Should().Be(InstanceStatus.Failed);
        var resumed = await _f.Engine.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });

        resumed.Status.Should().Be(InstanceStatus.Completed);
        _f.Effects.CountOf("first").Should().Be(1);
        _f.Effects.CountOf("flaky").Should().Be(3);
    }

    [Fact]
    public async Task A_non_retryable_error_fails_at_once()
    {
        var definition = _f.Parse("""
            { "id": "w", "steps": [ { "id": "flaky", "uses": "test.flaky", "with": { "failures": 5, "code": "licence.missing" },
              "retry": { "maxAttempts": 5, "nonRetryable": ["licence.missing"] } } ] }
            """);

        var result = await _f.StartAndRunAsync(definition);

        result.Status.Should().Be(InstanceStatus.Failed);
        result.Instance.Steps[0].Attempts.Should().Be(1);
    }

    [Fact]
    public async Task A_retry_due_in_ten_minutes_survives_a_restart_and_runs_once_when_due()
    {
        var definition = _f.Parse("""
            { "id": "w", "steps": [ { "id": "flaky", "uses": "test.flaky", "with": { "failures": 1 },
              "retry": { "maxAttempts": 3, "initialDelay": "PT10M", "maxDelay": "PT1H" } } ] }
            """);

        var first = await _f.StartAndRunAsync(definition);
        first.Status.Should().Be(InstanceStatus.Scheduled);
        first.Instance.DueAt.Should().Be(_f.Time.GetUtcNow() + TimeSpan.FromMinutes(10));

        var restarted = _f.SecondEngine();
        (await restarted.RunAsync(first.Instance.Id, new RunRequest { Actor = EngineFixture.Alice })).Status.Should().Be(InstanceStatus.Scheduled);
        _f.Effects.CountOf("flaky").Should().Be(1);

        _f.Time.Advance(TimeSpan.FromMinutes(10));
        var due = await restarted.RunAsync(first.Instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        var again = await _f.SecondEngine().RunAsync(first.Instance.Id, new RunRequest { Actor = EngineFixture.Alice });

        due.Status.Should().Be(InstanceStatus.Completed);
        again.Status.Should().Be(InstanceStatus.Completed);
        _f.Effects.CountOf("flaky").Should().Be(2);
    }

    [Fact]
    public void Delays_grow_by_the_coefficient_up_to_the_maximum_and_jitter_only_shortens_them()
    {
        var policy = new MdiFlow.Definitions.RetryPolicy { MaxAttempts = 10, InitialDelay = TimeSpan.FromSeconds(1), BackoffCoefficient = 3, MaxDelay = TimeSpan.FromSeconds(20), Jitter = 0.5 };
        var error = new MdiFlow.Activities.ActivityError("x", "y", Retryable: true);

        Enumerable.Range(1, 5).Select(n => RetrySchedule.NextDelay(policy with { Jitter = 0 }, error, n, 0.9))
            .Should().Equal(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20));
        RetrySchedule.NextDelay(policy, error, 1, 1.0).Should().Be(TimeSpan.FromSeconds(0.5));
        RetrySchedule.NextDelay(policy, error, 10, 0).Should().BeNull();
        RetrySchedule.NextDelay(policy, error with { Retryable = false }, 1, 0).Should().BeNull();
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();

    private sealed class RetryObserver : IRunObserver
    {
        public SemaphoreSlim Waiting { get; } = new(0);

        public List<TimeSpan> Delays { get; } = [];

        public void StepStarted(StepState step, bool isRecovery)
        {
        }

        public void StepEnded(StepState step, TimeSpan duration)
        {
        }

        public void RetryWaiting(StepState step, TimeSpan delay)
        {
            Delays.Add(delay);
            Waiting.Release();
        }
    }
}
