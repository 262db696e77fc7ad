using MdiFlow.Core.Tests.Support;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Core.Tests.Engine;

public sealed class ContinueOnFailureTests : IAsyncDisposable
{
    private readonly EngineFixture _f = new();

    [Fact]
    public async Task A_failed_continue_step_is_recorded_and_the_run_goes_on_to_complete_counting_it()
    {
        var definition = _f.Parse("""
            { "id": "w", "steps": [
              { "id": "check1", "uses": "test.flaky", "with": { "failures": 9, "code": "check.one" }, "onFailure": "continue" },
              { "id": "check2", "uses": "test.echo", "with": { "message": "fine" }, "onFailure": "continue" },
              { "id": "check3", "uses": "test.flaky", "with": { "failures": 9, "code": "check.three" }, "onFailure": "continue", "retry": { "maxAttempts": 2, "initialDelay": "PT0S" } },
              { "id": "after", "uses": "test.echo", "with": { "message": "{{ steps.check1.status }}" } } ] }
            """);

        var result = await _f.StartAndRunAsync(definition);

        result.Status.Should().Be(InstanceStatus.Completed);
        result.Instance.Steps.Select(s => s.Status).Should().Equal(StepStatus.FailedContinued, StepStatus.Completed, StepStatus.FailedContinued, StepStatus.Completed);
        result.Instance.Steps[2].Attempts.Should().Be(2, "a continue step is retried like any other first");
        result.Instance.Steps[2].NotRetried!.Reason.Should().Be(NotRetriedReason.AttemptsUsed);
        result.Instance.Steps[3].Output!["message"]!.GetValue<string>().Should().Be("failedContinued");
        var journal = await _f.Store.ReadJournalAsync(result.Instance.Id);
        journal.Where(e => e.Kind == JournalKinds.StepContinued).Select(e => e.Step).Should().Equal("check1", "check3");
        journal.Should().NotContain(e => e.Kind == JournalKinds.InstanceFailed);
        journal.Single(e => e.Kind == JournalKinds.InstanceCompleted).Data.Should().Be("""{"failedContinued":2}""");
    }

    [Fact]
    public async Task A_step_that_reads_a_continued_steps_output_fails_clearly_instead_of_running_on_nothing()
    {
        var definition = _f.Parse("""
            { "id": "w", "steps": [
              { "id": "check", "uses": "test.leaky", "with": { "token": "t", "fail": true }, "onFailure": "continue" },
              { "id": "guarded", "uses": "test.echo", "with": { "message": "{{ steps.check.output.message }}" }, "when": "steps.check.status == 'completed'" },
              { "id": "reader", "uses": "test.echo", "with": { "message": "{{ steps.check.output.message }}" } } ] }
            """);

        var result = await _f.StartAndRunAsync(definition);

        result.Status.Should().Be(InstanceStatus.Failed);
        result.Instance.Steps[1].Status.Should().Be(StepStatus.Skipped);
        var reader = result.Instance.Steps[2];
        reader.Status.Should().Be(StepStatus.Failed);
        reader.Error!.Code.Should().Be("binding.stepFailed");
        reader.Error.Message.Should().Be("The input of step 'reader' reads the output of step 'check', which failed ([test.leak]) and was continued past, so it has no output.");
        _f.Effects.CountOf("reader").Should().Be(0);
    }

    [Fact]
    public async Task Resuming_after_a_later_stop_does_not_run_a_continued_step_again()
    {
        var definition = _f.Parse("""
            { "id": "w", "steps": [
              { "id": "check", "uses": "test.flaky", "with": { "failures": 9 }, "onFailure": "continue" },
              { "id": "stop", "uses": "test.flaky", "with": { "failures": 1 } } ] }
            """);
        var failed = await _f.StartAndRunAsync(definition);
        failed.Status.Should().Be(InstanceStatus.Failed);

        var resumed = await _f.Engine.RunAsync(failed.Instance.Id, new RunRequest { Actor = EngineFixture.Alice });

        resumed.Status.Should().Be(InstanceStatus.Completed);
        _f.Effects.CountOf("check").Should().Be(1);
        resumed.Instance.Steps[0].Status.Should().Be(StepStatus.FailedContinued);
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();
}
