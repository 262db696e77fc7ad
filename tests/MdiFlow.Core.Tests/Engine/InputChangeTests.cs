using System.Text.Json.Nodes;
using MdiFlow.Core.Tests.Support;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Core.Tests.Engine;

public sealed class InputChangeTests : IAsyncDisposable
{
    private static readonly Actor Mallory = new("mallory", ActorSources.OperatingSystem);
    private readonly EngineFixture _f = new();

    private const string Workflow = """
        { "id": "w", "inputs": { "message": { "type": "string" }, "times": { "type": "number", "default": 1 }, "key": { "secret": true } },
          "steps": [ { "id": "echo", "uses": "test.echo", "with": { "message": "{{ inputs.message }}", "times": "{{ inputs.times }}" } } ] }
        """;

    [Fact]
    public async Task A_failed_instance_resumes_with_a_corrected_input_and_the_journal_records_the_change()
    {
        var failed = await _f.StartAndRunAsync(_f.Parse(Workflow));
        failed.Instance.Steps[0].Error!.Code.Should().Be("activity.invalidInput");

        await _f.Engine.ChangeInputsAsync(failed.Instance.Id, new InputChange { Inputs = new JsonObject { ["message"] = "hello", ["times"] = "2" } }, EngineFixture.Alice);
        var resumed = await _f.Engine.RunAsync(failed.Instance.Id, new RunRequest { Actor = EngineFixture.Alice });

        resumed.Status.Should().Be(InstanceStatus.Completed);
        resumed.Instance.Steps[0].Output!["message"]!.GetValue<string>().Should().Be("hellohello");
        var change = (await _f.Store.ReadJournalAsync(failed.Instance.Id)).Single(e => e.Kind == JournalKinds.InputsChanged);
        change.Actor.Should().Be("alice");
        change.Data.Should().Be("""{"inputs":{"message":{"from":null,"to":"hello"},"times":{"from":1,"to":2}},"secrets":[]}""");
    }

    [Fact]
    public async Task A_secret_is_changed_by_reference_and_only_its_name_is_journaled()
    {
        var failed = await _f.StartAndRunAsync(_f.Parse(Workflow));

        var changed = await _f.Engine.ChangeInputsAsync(failed.Instance.Id, new InputChange { Secrets = new Dictionary<string, string> { ["key"] = "env:MDIFLOW_TEST_KEY_7F3A" } }, EngineFixture.Alice);

        changed.SecretReferences["key"].Should().Be("env:MDIFLOW_TEST_KEY_7F3A");
        var journal = await _f.Store.ReadJournalAsync(failed.Instance.Id);
        journal.Single(e => e.Kind == JournalKinds.InputsChanged).Data.Should().Be("""{"inputs":{},"secrets":["key"]}""");
        journal.Should().NotContain(e => e.Data != null && e.Data.Contains("MDIFLOW_TEST_KEY_7F3A", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_mistake_in_a_change_is_listed_and_nothing_changes()
    {
        var failed = await _f.StartAndRunAsync(_f.Parse(Workflow));

        var act = () => _f.Engine.ChangeInputsAsync(failed.Instance.Id, new InputChange
        {
            Inputs = new JsonObject { ["mesage"] = "x", ["times"] = "many", ["key"] = "plain" },
            Secrets = new Dictionary<string, string> { ["key"] = "the-key-itself" },
        }, EngineFixture.Alice);

        var thrown = await act.Should().ThrowAsync<WorkflowValidationException>();
        thrown.Which.Errors.Select(e => e.Message).Should().Equal(
            "the workflow declares no input 'mesage'. Did you mean 'message'? It declares: message, times.",
            "the input 'times' must be of type number; '\"many\"' is not.",
            "'key' is a secret: give it by reference (env:VARIABLE or file:PATH), never as a value.",
            "the secret 'key' must be a reference: env:VARIABLE or file:PATH.");
        (await _f.Store.ReadJournalAsync(failed.Instance.Id)).Should().NotContain(e => e.Kind == JournalKinds.InputsChanged);
    }

    [Fact]
    public async Task Inputs_change_only_while_failed_and_only_by_whoever_may_run_the_instance()
    {
        var failed = await _f.StartAndRunAsync(_f.Parse(Workflow));
        var waiting = await _f.StartAndRunAsync(_f.Parse("""{ "id": "g", "inputs": { "m": {} }, "steps": [ { "id": "gate", "uses": "test.gate" } ] }"""));
        var change = new InputChange { Inputs = new JsonObject { ["message"] = "hi" } };

        await FluentActions.Awaiting(() => _f.Engine.ChangeInputsAsync(failed.Instance.Id, change, Mallory))
            .Should().ThrowAsync<ActionNotAllowedException>().WithMessage("mallory may not run instance * alice started it*");
        await FluentActions.Awaiting(() => _f.Engine.ChangeInputsAsync(waiting.Instance.Id, new InputChange { Inputs = new JsonObject { ["m"] = "x" } }, EngineFixture.Alice))
            .Should().ThrowAsync<InstanceStateException>().WithMessage("Instance * is waiting; its inputs can be changed only while it has failed.");
    }

    [Fact]
    public async Task Inputs_cannot_change_once_a_gate_was_decided_with_them()
    {
        var definition = _f.Parse("""
            { "id": "w", "inputs": { "package": { "type": "string", "default": "approved.zip" } }, "steps": [
              { "id": "board", "uses": "approval", "with": { "approvers": ["user:bob"], "instructions": "install {{ inputs.package }}" } },
              { "id": "install", "uses": "test.flaky", "with": { "failures": 9, "code": "{{ inputs.package }}" } } ] }
            """);
        var instance = await _f.Engine.StartAsync(definition, new StartRequest { Actor = EngineFixture.Alice });
        await _f.Engine.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        await _f.Engine.ActAsync(instance.Id, new GateActionRequest { Action = GateAction.Approve, Actor = new Actor("bob", ActorSources.OperatingSystem) });
        (await _f.Engine.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice })).Status.Should().Be(InstanceStatus.Failed);

        var act = () => _f.Engine.ChangeInputsAsync(instance.Id, new InputChange { Inputs = new JsonObject { ["package"] = "other.zip" } }, EngineFixture.Alice);

        await act.Should().ThrowAsync<ActionNotAllowedException>().WithMessage("Step 'board' of instance * (approval) was decided with the inputs as they were*");
        (await _f.Engine.GetAsync(instance.Id)).Inputs["package"]!.GetValue<string>().Should().Be("approved.zip");
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();
}
