using System.Text.Json.Nodes;
using MdiFlow.Core.Tests.Support;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Core.Tests.Engine;

public sealed class WorkflowEngineTests : IAsyncDisposable
{
    private readonly EngineFixture _f = new();

    private WorkflowDefinition FiveSteps => _f.Parse("""
        { "id": "five", "inputs": { "name": { "required": true }, "skipLast": { "type": "boolean", "default": true } },
          "steps": [
            { "id": "one", "uses": "test.echo", "with": { "message": "{{ inputs.name }}" } },
            { "id": "two", "uses": "test.echo", "with": { "message": "{{ steps.one.output.message }}!", "times": 2 } },
            { "id": "three", "uses": "test.echo", "with": { "message": "len={{ steps.two.output.length }}" } },
            { "id": "four", "uses": "test.echo", "with": { "message": "x" }, "when": "steps.two.output.length > 100" },
            { "id": "five", "uses": "test.echo", "with": { "message": "last" }, "when": "!inputs.skipLast" } ] }
        """);

    [Fact]
    public async Task A_run_passes_outputs_through_bindings_and_skips_steps_whose_condition_is_false()
    {
        var result = await _f.StartAndRunAsync(FiveSteps, new StartRequest { Actor = EngineFixture.Alice, Inputs = new JsonObject { ["name"] = "dc01" } });

        result.Status.Should().Be(InstanceStatus.Completed);
        result.Instance.Steps.Select(s => s.Status).Should().Equal(StepStatus.Completed, StepStatus.Completed, StepStatus.Completed, StepStatus.Skipped, StepStatus.Skipped);
        result.Instance.Steps[2].Output!["message"]!.GetValue<string>().Should().Be("len=10");
        result.Instance.Steps[3].SkipReason.Should().Be("its condition is false: steps.two.output.length > 100");
        _f.Effects.Calls.Select(c => c.Step).Should().Equal("one", "two", "three");
        result.Instance.Lease.Should().BeNull();

        var journal = await _f.Store.ReadJournalAsync(result.Instance.Id);
        _f.Verify(result.Instance.Id, journal).Should().BeNull();
        journal.Select(e => e.Kind).Should().Equal(
            "instance.created", "instance.resumed",
            "step.started", "step.completed", "step.started", "step.completed", "step.started", "step.completed",
            "step.skipped", "step.skipped", "instance.completed");
    }

    [Fact]
    public async Task Missing_and_mistyped_inputs_are_all_refused_and_nothing_is_stored()
    {
        var start = () => _f.Engine.StartAsync(FiveSteps, new StartRequest
        {
            Actor = EngineFixture.Alice,
            Inputs = new JsonObject { ["skipLast"] = "perhaps", ["extra"] = 1 },
        });

        var error = (await start.Should().ThrowAsync<WorkflowValidationException>()).Which;
        error.Errors.Select(e => e.Path).Should().BeEquivalentTo("inputs.extra", "inputs.name", "inputs.skipLast");
        (await _f.Store.ListAsync(new InstanceQuery())).Should().BeEmpty();
    }

    [Fact]
    public async Task Resuming_a_failed_instance_does_not_rerun_completed_steps()
    {
        var definition = _f.Parse("""
            { "id": "w", "steps": [
              { "id": "first", "uses": "test.echo", "with": { "message": "a" } },
              { "id": "flaky", "uses": "test.flaky", "with": { "failures": 1, "permanent": true } },
              { "id": "last", "uses": "test.echo", "with": { "message": "b" } } ] }
            """);

        var failed = await _f.StartAndRunAsync(definition);
        failed.Status.Should().Be(InstanceStatus.Failed);
        failed.Instance.Steps[1].Error!.Code.Should().Be("test.flaky");

        var resumed = await _f.Engine.RunAsync(failed.Instance.Id, new RunRequest { Actor = EngineFixture.Alice });

        resumed.Status.Should().Be(InstanceStatus.Completed);
        _f.Effects.CountOf("first").Should().Be(1);
        _f.Effects.CountOf("flaky").Should().Be(2);
        resumed.Instance.Steps[1].Attempts.Should().Be(2);
        (await _f.Store.ReadJournalAsync(failed.Instance.Id)).Should().Contain(e => e.Kind == JournalKinds.OperatorResumed && e.Step == "flaky");
    }

    [Fact]
    public async Task An_interrupted_attempt_is_run_again_as_a_recovery_once_its_lease_has_expired()
    {
        var definition = _f.Parse("""
            { "id": "w", "steps": [
              { "id": "first", "uses": "test.echo", "with": { "message": "a" } },
              { "id": "held", "uses": "test.block" },
              { "id": "last", "uses": "test.echo", "with": { "message": "b" } } ] }
            """);
        var instance = await _f.Engine.StartAsync(definition, new StartRequest { Actor = EngineFixture.Alice });
        var run = _f.Engine.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        await _f.Signals.Entered.WaitAsync();

        // Another process finds it running under a live lease and is refused.
        var second = _f.SecondEngine();
        var early = () => second.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        (await early.Should().ThrowAsync<InstanceStateException>()).Which.Message.Should().Contain("is being run by process");

        // The holder "died": its clock stands still, so it renews nothing. On a clock past its lease,
        // a third process recovers the step.
        var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(_f.Time.GetUtcNow() + TimeSpan.FromMinutes(6));
        var recovering = _f.SecondEngine(later).RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        await _f.Signals.Entered.WaitAsync();
        _f.Signals.Release.SetResult();
        var recovered = await recovering;
        await FluentActions.Awaiting(() => run).Should().ThrowAsync<ConcurrencyException>();

        recovered.Status.Should().Be(InstanceStatus.Completed);
        recovered.Instance.Steps[1].Attempts.Should().Be(2);
        _f.Effects.CountOf("first").Should().Be(1);
        var journal = await _f.Store.ReadJournalAsync(instance.Id);
        journal.Should().Contain(e => e.Kind == JournalKinds.InstanceRecovered && e.Step == "held");
        journal.Where(e => e.Kind == JournalKinds.StepStarted && e.Step == "held").Select(e => JsonNode.Parse(e.Data!)!["recovery"]!.GetValue<bool>())
            .Should().Equal(false, true);
        _f.Verify(instance.Id, journal).Should().BeNull();
    }

    [Fact]
    public async Task A_long_step_renews_its_lease_so_no_other_process_takes_the_instance_over()
    {
        var instance = await _f.Engine.StartAsync(_f.Parse("""{ "id": "w", "steps": [ { "id": "held", "uses": "test.block" } ] }"""), new StartRequest { Actor = EngineFixture.Alice });
        var run = _f.Engine.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        await _f.Signals.Entered.WaitAsync();

        for (var i = 0; i < 12; i++)
        {
            _f.Time.Advance(TimeSpan.FromMinutes(1));
        }

        (await _f.Store.FindAsync(instance.Id))!.Lease!.ExpiresAt.Should().BeAfter(_f.Time.GetUtcNow());
        var other = () => _f.SecondEngine().RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        await other.Should().ThrowAsync<InstanceStateException>();
        _f.Signals.Release.SetResult();
        (await run).Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public async Task Two_engines_taking_the_same_ready_instance_at_once_let_exactly_one_run_it()
    {
        var definition = _f.Parse("""{ "id": "w", "steps": [ { "id": "held", "uses": "test.block" } ] }""");
        var instance = await _f.Engine.StartAsync(definition, new StartRequest { Actor = EngineFixture.Alice });
        var loadedByBoth = await _f.Store.FindAsync(instance.Id);

        var first = _f.Engine.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        await _f.Signals.Entered.WaitAsync();
        var second = () => _f.Engine.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        await second.Should().ThrowAsync<InstanceStateException>();

        // A writer holding the version read before the first took the lease loses.
        loadedByBoth!.Status = InstanceStatus.Running;
        var stale = () => _f.Store.SaveAsync(loadedByBoth, []).AsTask();
        await stale.Should().ThrowAsync<ConcurrencyException>();

        _f.Signals.Release.SetResult();
        (await first).Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public async Task An_instance_keeps_the_definition_it_started_with()
    {
        var v1 = _f.Parse("""{ "id": "w", "steps": [ { "id": "gate", "uses": "test.gate" }, { "id": "a", "uses": "test.echo", "with": { "message": "v1" } } ] }""");
        var started = await _f.StartAndRunAsync(v1);
        started.Status.Should().Be(InstanceStatus.Waiting);

        var v2 = _f.Parse("""{ "id": "w", "steps": [ { "id": "gate", "uses": "test.gate" }, { "id": "a", "uses": "test.echo", "with": { "message": "v2" } } ] }""");
        var other = await _f.Engine.StartAsync(v2, new StartRequest { Actor = EngineFixture.Alice });

        var reloaded = await _f.Engine.GetAsync(started.Instance.Id);
        _f.Engine.DefinitionOf(reloaded).Steps[1].With["message"]!.GetValue<string>().Should().Be("v1");
        reloaded.DefinitionHash.Should().Be(WorkflowWriter.Hash(v1)).And.NotBe(other.DefinitionHash);
    }

    [Fact]
    public async Task A_crashing_activity_fails_the_step_with_a_bug_report_not_an_exception()
    {
        var result = await _f.StartAndRunAsync(_f.Parse("""{ "id": "w", "steps": [ { "id": "a", "uses": "test.crash" } ] }"""));

        result.Status.Should().Be(InstanceStatus.Failed);
        result.Instance.Steps[0].Error!.Code.Should().Be("activity.crashed");
        result.Instance.Steps[0].Error!.Message.Should().Contain("InvalidOperationException: boom");
    }

    [Fact]
    public async Task Waiting_instances_cannot_be_run_until_their_gate_is_satisfied()
    {
        var result = await _f.StartAndRunAsync(_f.Parse("""{ "id": "w", "steps": [ { "id": "gate", "uses": "test.gate" } ] }"""));

        result.Status.Should().Be(InstanceStatus.Waiting);
        result.Instance.Steps[0].Gate!.Kind.Should().Be("review");
        var again = () => _f.Engine.RunAsync(result.Instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        (await again.Should().ThrowAsync<InstanceStateException>()).Which.Message.Should().Be(
            $"Instance {result.Instance.Id} waits at step 'gate' (review). Approve or complete it first, then resume.");
    }

    [Fact]
    public async Task Ids_resolve_from_unique_prefixes_of_at_least_six_characters()
    {
        var instance = await _f.Engine.StartAsync(_f.Parse("""{ "id": "w", "steps": [ { "id": "gate", "uses": "test.gate" } ] }"""), new StartRequest { Actor = EngineFixture.Alice });

        (await _f.Engine.ResolveAsync(instance.Id.Value[..8].ToUpperInvariant())).Should().Be(instance.Id);
        await FluentActions.Awaiting(() => _f.Engine.ResolveAsync("01j")).Should().ThrowAsync<InstanceNotFoundException>().WithMessage("*at least its first 6 characters*");
        await FluentActions.Awaiting(() => _f.Engine.ResolveAsync("zzzzzzzz")).Should().ThrowAsync<InstanceNotFoundException>();
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();
}
