using MdiFlow.Core.Tests.Support;

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
            "$.steps[0].uses (line 4): unknown activity 'test.echoo'. Did you mean 'test.echo'? Run 'mdiflow activities' to list the installed ones.",
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

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();
}
