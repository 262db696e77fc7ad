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
        result.Instance.Steps[0].NotRetried.Should().Be(new NotRetried(NotRetriedReason.NonRetryable, "the workflow lists 'licence.missing' in retry.nonRetryable (1 attempt of 5 used)."));
        var failed = (await _f.Store.ReadJournalAsync(result.Instance.Id)).Single(e => e.Kind == JournalKinds.InstanceFailed);
        failed.Data.Should().Be("""{"code":"licence.missing","attempts":1,"notRetried":"nonRetryable"}""");
    }

    [Fact]
    public async Task A_failure_the_activity_marks_permanent_is_not_retried_and_the_step_says_so()
    {
        var definition = _f.Parse("""
            { "id": "w", "steps": [ { "id": "flaky", "uses": "test.flaky", "with": { "failures": 5, "permanent": true }, "retry": { "maxAttempts": 4 } } ] }
            """);

        var result = await _f.StartAndRunAsync(definition);

        result.Instance.Steps[0].Attempts.Should().Be(1);
        result.Instance.Steps[0].NotRetried!.Reason.Should().Be(NotRetriedReason.Permanent);
        result.Instance.Steps[0].NotRetried!.Explanation.Should().Be("the activity marks 'test.flaky' permanent: no other attempt can succeed until something is changed (1 attempt of 4 used).");
    }

    [Fact]
    public async Task Retry_on_retries_only_the_codes_it_lists()
    {
        var definition = _f.Parse("""
            { "id": "w", "steps": [
              { "id": "listed", "uses": "test.flaky", "with": { "failures": 1, "code": "net.down" }, "retry": { "maxAttempts": 3, "initialDelay": "PT0S", "on": ["net.down"] } },
              { "id": "other", "uses": "test.flaky", "with": { "failures": 1, "code": "disk.full" }, "retry": { "maxAttempts": 3, "initialDelay": "PT0S", "on": ["net.down"] } } ] }
            """);

        var result = await _f.StartAndRunAsync(definition);

        result.Status.Should().Be(InstanceStatus.Failed);
        result.Instance.Steps[0].Attempts.Should().Be(2);
        result.Instance.Steps[0].Status.Should().Be(StepStatus.Completed);
        result.Instance.Steps[1].Attempts.Should().Be(1);
        result.Instance.Steps[1].NotRetried.Should().Be(new NotRetried(NotRetriedReason.NotInRetryOn, "retry.on retries only 'net.down', not 'disk.full' (1 attempt of 3 used)."));
    }

    [Fact]
    public async Task A_step_without_retry_says_it_allows_one_attempt_and_one_that_used_them_all_says_so()
    {
        var single = await _f.StartAndRunAsync(_f.Parse("""{ "id": "w", "steps": [ { "id": "flaky", "uses": "test.flaky", "with": { "failures": 5 } } ] }"""));
        var used = await _f.StartAndRunAsync(_f.Parse("""{ "id": "v", "steps": [ { "id": "flaky", "uses": "test.flaky", "with": { "failures": 5 }, "retry": { "maxAttempts": 2, "initialDelay": "PT0S" } } ] }"""));

        single.Instance.Steps[0].NotRetried!.Reason.Should().Be(NotRetriedReason.SingleAttempt);
        used.Instance.Steps[0].Attempts.Should().Be(2);
        used.Instance.Steps[0].NotRetried.Should().Be(new NotRetried(NotRetriedReason.AttemptsUsed, "all 2 attempts its retry allows (maxAttempts) were used."));
    }

    [Fact]
    public async Task A_resumed_step_that_then_completes_no_longer_says_why_it_was_not_retried()
    {
        var definition = _f.Parse("""{ "id": "w", "steps": [ { "id": "flaky", "uses": "test.flaky", "with": { "failures": 1 } } ] }""");
        var failed = await _f.StartAndRunAsync(definition);
        failed.Instance.Steps[0].NotRetried.Should().NotBeNull();

        var resumed = await _f.Engine.RunAsync(failed.Instance.Id, new RunRequest { Actor = EngineFixture.Alice });

        resumed.Status.Should().Be(InstanceStatus.Completed);
        resumed.Instance.Steps[0].NotRetried.Should().BeNull();
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
        var error = new MdiFlow.Activities.ActivityError("x", "y");

        Enumerable.Range(1, 5).Select(n => RetrySchedule.Decide(policy with { Jitter = 0 }, error, n, 0.9).Delay)
            .Should().Equal(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20));
        RetrySchedule.Decide(policy, error, 1, 1.0).Delay.Should().Be(TimeSpan.FromSeconds(0.5));
        RetrySchedule.Decide(policy, error, 10, 0).Stop!.Reason.Should().Be(NotRetriedReason.AttemptsUsed);
        RetrySchedule.Decide(policy, error with { Permanent = true }, 1, 0).Stop!.Reason.Should().Be(NotRetriedReason.Permanent);
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
