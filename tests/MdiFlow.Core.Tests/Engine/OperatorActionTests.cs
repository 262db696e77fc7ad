using MdiFlow.Core.Tests.Support;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Core.Tests.Engine;

public sealed class OperatorActionTests : IAsyncDisposable
{
    private static readonly Actor Olga = new("olga", ActorSources.OperatingSystem);
    private readonly EngineFixture _f = new();

    private Task<RunResult> FailingRun(bool skippable = true) => _f.StartAndRunAsync(_f.Parse($$$"""
        { "id": "w", "steps": [
          { "id": "probe", "uses": "test.flaky", "with": { "failures": 9, "permanent": true }, "skippable": {{{(skippable ? "true" : "false")}}} },
          { "id": "after", "uses": "test.echo", "with": { "message": "{{ steps.probe.status }}" } } ] }
        """));

    [Fact]
    public async Task Skip_continues_past_a_failed_step_and_the_journal_names_who_and_why()
    {
        var failed = await FailingRun();

        var skipped = await _f.Engine.SkipAsync(failed.Instance.Id, "probe", "proxy fixed by hand; probe is known flaky", Olga);
        skipped.Status.Should().Be(InstanceStatus.Ready);
        var done = await _f.Engine.RunAsync(failed.Instance.Id, new RunRequest { Actor = EngineFixture.Alice });

        done.Status.Should().Be(InstanceStatus.Completed);
        done.Instance.Steps[0].Status.Should().Be(StepStatus.Skipped);
        done.Instance.Steps[1].Output!["message"]!.GetValue<string>().Should().Be("skipped");
        var entry = (await _f.Store.ReadJournalAsync(failed.Instance.Id)).Single(e => e.Kind == JournalKinds.OperatorSkipped);
        entry.Actor.Should().Be("olga");
        entry.Step.Should().Be("probe");
        entry.Data.Should().Contain("proxy fixed by hand; probe is known flaky");
    }

    [Fact]
    public async Task Skip_is_refused_for_a_step_marked_not_skippable_and_for_a_step_that_did_not_fail()
    {
        var failed = await FailingRun(skippable: false);

        await FluentActions.Awaiting(() => _f.Engine.SkipAsync(failed.Instance.Id, "probe", "please", Olga))
            .Should().ThrowAsync<InstanceStateException>().WithMessage("Step 'probe' is marked \"skippable\": false in workflow w; it must succeed.*");
        await FluentActions.Awaiting(() => _f.Engine.SkipAsync(failed.Instance.Id, "after", "please", Olga))
            .Should().ThrowAsync<InstanceStateException>().WithMessage("Step 'after' of instance * is pending, not failed*");
        (await _f.Engine.GetAsync(failed.Instance.Id)).Status.Should().Be(InstanceStatus.Failed);
    }

    [Fact]
    public async Task Cancel_ends_a_waiting_instance_and_is_refused_on_a_completed_one()
    {
        var waiting = await _f.StartAndRunAsync(_f.Parse("""{ "id": "w", "steps": [ { "id": "gate", "uses": "test.gate" } ] }"""));
        var cancelled = await _f.Engine.CancelAsync(waiting.Instance.Id, "change withdrawn", Olga);
        cancelled.Status.Should().Be(InstanceStatus.Cancelled);

        var completed = await _f.StartAndRunAsync(_f.Parse("""{ "id": "w", "steps": [ { "id": "a", "uses": "test.echo", "with": { "message": "x" } } ] }"""));
        await FluentActions.Awaiting(() => _f.Engine.CancelAsync(completed.Instance.Id, "too late", Olga))
            .Should().ThrowAsync<InstanceStateException>().WithMessage("Instance * is completed; it cannot be cancelled. Completed is final*");
    }

    [Fact]
    public async Task A_step_whose_total_timeout_runs_out_stops_retrying_and_says_why()
    {
        var definition = _f.Parse("""
            { "id": "w", "steps": [ { "id": "flaky", "uses": "test.flaky", "with": { "failures": 9 }, "totalTimeout": "PT25S",
              "retry": { "maxAttempts": 9, "initialDelay": "PT10S", "backoffCoefficient": 1 } } ] }
            """);
        var instance = await _f.Engine.StartAsync(definition, new StartRequest { Actor = Olga });
        var observer = new CountingObserver();
        var run = _f.Engine.RunAsync(instance.Id, new RunRequest { Actor = Olga, Observer = observer });
        await observer.Waiting.WaitAsync();
        _f.Time.Advance(TimeSpan.FromSeconds(10));
        await observer.Waiting.WaitAsync();
        _f.Time.Advance(TimeSpan.FromSeconds(10));

        var result = await run;

        result.Status.Should().Be(InstanceStatus.Failed);
        result.Instance.Steps[0].Attempts.Should().Be(3);
        result.Instance.Steps[0].Error!.Code.Should().Be("step.totalTimeout");
        result.Instance.Steps[0].Error!.Message.Should().Contain("the last error was: [test.flaky]");
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();

    private sealed class CountingObserver : IRunObserver
    {
        public SemaphoreSlim Waiting { get; } = new(0);

        public void StepStarted(StepState step, bool isRecovery)
        {
        }

        public void StepEnded(StepState step, TimeSpan duration)
        {
        }

        public void RetryWaiting(StepState step, TimeSpan delay) => Waiting.Release();
    }
}
