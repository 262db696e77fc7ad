using MdiFlow.Definitions;

namespace MdiFlow.Core.Tests.Definitions;

public sealed class WorkflowBuilderTests
{
    [Fact]
    public void The_builder_yields_the_same_model_as_the_json_file()
    {
        var fromJson = WorkflowLoader.Parse("""
            { "id": "hello", "version": "2", "inputs": { "name": { "required": true } },
              "steps": [
                { "id": "greet", "uses": "test.echo", "with": { "message": "hi {{ inputs.name }}" } },
                { "id": "again", "uses": "test.echo", "with": { "message": "{{ steps.greet.output.message }}", "times": 2 },
                  "when": "steps.greet.status == 'completed'", "retry": { "maxAttempts": 2 } } ] }
            """).Definition!;

        var built = new WorkflowBuilder("hello")
            .Version("2")
            .Input(new InputDefinition { Name = "name", Required = true })
            .Step("greet", "test.echo", new { message = "hi {{ inputs.name }}" })
            .Step("again", "test.echo", new { message = "{{ steps.greet.output.message }}", times = 2 }, s => s with
            {
                When = "steps.greet.status == 'completed'",
                Retry = new RetryPolicy { MaxAttempts = 2 },
            })
            .Build();

        WorkflowWriter.ToJson(built).ToJsonString().Should().Be(WorkflowWriter.ToJson(fromJson).ToJsonString());
    }

    [Fact]
    public void Building_two_steps_with_one_id_fails_like_the_json_file()
    {
        var build = () => new WorkflowBuilder("w").Step("a", "x").Step("a", "x").Build();

        build.Should().Throw<WorkflowValidationException>()
            .Which.Errors.Should().ContainSingle(e => e.Path == "$.steps[1].id");
    }
}
