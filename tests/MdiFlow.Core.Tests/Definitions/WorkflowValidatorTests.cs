using MdiFlow.Core.Tests.Support;
using MdiFlow.Definitions;

namespace MdiFlow.Core.Tests.Definitions;

public sealed class WorkflowValidatorTests : IAsyncDisposable
{
    private readonly EngineFixture _fixture = new();

    [Fact]
    public void Four_different_mistakes_get_four_messages_with_json_paths_and_lines()
    {
        const string json = """
            {
              "id": "broken",
              "steps": [
                { "id": "one", "uses": "test.echoo", "with": { "message": "hi" } },
                { "id": "two", "uses": "test.echo", "with": { "times": 2 } },
                { "id": "three", "uses": "test.echo", "with": { "message": "{{ steps.nowhere.output.message }}" } },
                { "id": "four", "uses": "test.echo", "with": { "message": "x" }, "when": "steps.one.status == " }
              ]
            }
            """;

        var result = _fixture.Validator.Parse(json);

        result.Definition.Should().BeNull();
        result.Errors.Select(e => e.ToString()).Should().Equal(
            "$.steps[0].uses (line 4): unknown activity 'test.echoo'; no installed activity has that name. Did you mean 'test.echo'?",
            "$.steps[1].with (line 5): 'test.echo' requires the input 'message'.",
            "$.steps[2].with.message (line 6): 'steps.nowhere.output.message' binds to an unknown step 'nowhere'.",
            "$.steps[3].when (line 7): the condition does not parse: the expression ends where a value was expected (at character 20). Conditions use paths, literals and == != < <= > >= && || ! in.");
    }

    [Fact]
    public void A_binding_to_a_later_step_is_refused_with_the_reason()
    {
        var result = _fixture.Validator.Parse("""
            { "id": "w", "steps": [
              { "id": "a", "uses": "test.echo", "with": { "message": "{{ steps.b.output.message }}" } },
              { "id": "b", "uses": "test.echo", "with": { "message": "x" } } ] }
            """);

        result.Errors.Should().ContainSingle().Which.Message.Should().Contain("runs later");
    }

    [Fact]
    public void Unknown_inputs_wrong_literal_types_and_undeclared_inputs_are_reported()
    {
        var result = _fixture.Validator.Parse("""
            { "id": "w", "inputs": { "key": { "secret": true } }, "steps": [
              { "id": "a", "uses": "test.echo", "with": { "message": "{{ inputs.missing }}", "colour": "red", "times": "two" } },
              { "id": "b", "uses": "test.echo", "with": { "message": "{{ inputs.key }}" } },
              { "id": "c", "uses": "test.echo", "with": { "message": "{{ secrets.key }}" }, "when": "secrets.key == 'x'" } ] }
            """);

        result.Errors.Select(e => e.Path).Should().Equal(
            "$.steps[0].with.colour",
            "$.steps[0].with.times",
            "$.steps[0].with.message",
            "$.steps[1].with.message",
            "$.steps[2].when");
        result.Errors[1].Message.Should().Be("'test.echo' expects a value of type integer for 'times'.");
        result.Errors[3].Message.Should().Contain("bind it as secrets.key");
        result.Errors[4].Message.Should().Contain("conditions cannot read secrets");
    }

    [Fact]
    public void A_valid_workflow_has_no_errors()
    {
        var result = _fixture.Validator.Parse("""
            // comments are allowed
            { "id": "w", "inputs": { "name": { "required": true } }, "steps": [
              { "id": "a", "uses": "test.echo", "with": { "message": "hello {{ inputs.name }}", "times": 2 } },
              { "id": "b", "uses": "test.echo", "with": { "message": "{{ steps.a.output.message }}" }, "when": "steps.a.output.length > 3", },
            ] }
            """);

        result.Errors.Should().BeEmpty();
        result.Definition!.Steps.Should().HaveCount(2);
    }

    [Fact]
    public void Structural_and_semantic_mistakes_are_reported_together_in_file_order_each_with_its_suggestion()
    {
        const string json = """
            {
              "id": "broken",
              "inputs": { "name": { "type": "string" }, "count": { "type": "number", "default": "three" } },
              "steps": [
                { "id": "first", "uses": "test.echo", "with": { "message": "{{ inputs.nmae }}" }, "tiemout": "PT1M" },
                { "uses": "test.echo", "with": { "message": "no id" } },
                { "id": "third", "uses": "test.echo", "with": { "mesage": "x", "message": "{{ steps.frist.output.message }}" }, "timeout": "soon" },
                { "id": "fourth", "uses": "test.echo", "with": { "message": "{{ steps.first.output.mesage }}" } },
                { "id": "fifth", "uses": "test.echo", "with": { "message": "{{ steps.first.outptu }}" }, "onFailure": "maybe" }
              ]
            }
            """;

        var result = _fixture.Validator.Parse(json);

        result.Definition.Should().BeNull();
        result.Errors.Select(e => e.ToString()).Should().Equal(
            "$.inputs.count.default (line 3): the default of 'count' is \"three\", which is not of its type number.",
            "$.steps[0].tiemout (line 5): unknown property 'tiemout'. Did you mean 'timeout'? Expected one of: id, uses, title, with, when, retry, timeout, totalTimeout, skippable, rehearse, onFailure.",
            "$.steps[0].with.message (line 5): 'inputs.nmae' reads an input that is not declared. Did you mean 'name'? Declare it under \"inputs\" or fix the name.",
            "$.steps[1] (line 6): \"id\" is required.",
            "$.steps[2].timeout (line 7): 'soon' is not a duration such as \"PT30S\" (ISO 8601) or \"00:00:30\".",
            "$.steps[2].with.mesage (line 7): 'test.echo' has no input 'mesage'. Did you mean 'message'? Its inputs are: message, times.",
            "$.steps[2].with.message (line 7): 'steps.frist.output.message' binds to an unknown step 'frist'. Did you mean 'first'?",
            "$.steps[3].with.message (line 8): 'steps.first.output.mesage' reads 'mesage', which the output of 'test.echo' does not have. Did you mean 'message'? Its fields are: message, length.",
            "$.steps[4].onFailure (line 9): 'maybe' is not a failure choice; use \"stop\" (the default) or \"continue\".",
            "$.steps[4].with.message (line 9): 'steps.first.outptu' reads 'outptu' of step 'first'; a step has output, status and attempts. Did you mean 'output'?");
        result.Errors.Select(e => e.Code).Should().Contain([WorkflowErrorCodes.Structure, WorkflowErrorCodes.Binding, WorkflowErrorCodes.StepInput, WorkflowErrorCodes.InputDefault]);
    }

    [Fact]
    public void Output_fields_are_checked_through_nested_objects_and_arrays_and_an_activity_without_output_has_none()
    {
        var result = _fixture.Validator.Parse("""
            { "id": "w", "steps": [
              { "id": "a", "uses": "test.echo", "with": { "message": "m" } },
              { "id": "wait", "uses": "test.flaky", "with": { } },
              { "id": "b", "uses": "test.echo", "with": { "message": "{{ steps.a.output.length }} {{ steps.a.status }} {{ steps.a.attempts }}" } },
              { "id": "c", "uses": "test.echo", "with": { "message": "{{ steps.wait.output.anything }}" } } ] }
            """);

        result.Errors.Should().ContainSingle().Which.Message.Should().Be("'steps.wait.output.anything' reads an output of 'test.flaky', which has none.");
    }

    [Fact]
    public void A_gate_cannot_be_continued_past_and_reading_a_continued_steps_output_is_a_warning()
    {
        var gate = _fixture.Validator.Parse("""
            { "id": "w", "steps": [ { "id": "board", "uses": "approval", "with": { "approvers": ["user:bob"] }, "onFailure": "continue" } ] }
            """);
        var warned = _fixture.Validator.Parse("""
            { "id": "w", "steps": [
              { "id": "a", "uses": "test.echo", "with": { "message": "m" }, "onFailure": "continue" },
              { "id": "b", "uses": "test.echo", "with": { "message": "{{ steps.a.output.message }}" } } ] }
            """);

        gate.Errors.Should().ContainSingle().Which.Code.Should().Be(WorkflowErrorCodes.OnFailure);
        warned.Errors.Should().BeEmpty();
        warned.Definition.Should().NotBeNull();
        warned.Warnings.Should().ContainSingle().Which.ToString().Should().Be(
            "$.steps[1].with.message (line 3): 'steps.a.output.message' reads the output of step 'a', which has \"onFailure\": \"continue\": when it fails the run goes on and its output is null. Check it first (\"when\": \"steps.a.status == 'completed'\").");
    }

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();
}
