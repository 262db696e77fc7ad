using MdiFlow.Definitions;

namespace MdiFlow.Core.Tests.Definitions;

public sealed class WorkflowLoaderTests
{
    [Fact]
    public void Invalid_json_is_one_error_with_its_line()
    {
        var result = WorkflowLoader.Parse("{\n  \"id\": \"x\",\n  \"steps\": [ { \"id\": \"a\" \"uses\": \"b\" } ]\n}");

        result.Definition.Should().BeNull();
        result.Errors.Should().ContainSingle().Which.Line.Should().Be(3);
        result.Errors[0].Message.Should().StartWith("not valid JSON");
    }

    [Fact]
    public void Structural_mistakes_are_all_reported_with_paths()
    {
        var result = WorkflowLoader.Parse("""
            {
              "id": "bad id!",
              "colour": "red",
              "inputs": { "n": { "type": "integer" } },
              "steps": [
                { "id": "a", "uses": "x", "timeout": "soon", "retry": { "maxAttempts": 0 } },
                { "id": "a", "uses": "x" },
                { "uses": "x" },
                "nonsense"
              ]
            }
            """);

        result.Errors.Select(e => e.Path).Should().BeEquivalentTo(
            "$.id", "$.colour", "$.inputs.n.type", "$.steps[0].timeout", "$.steps[0].retry.maxAttempts", "$.steps[1].id", "$.steps[2]", "$.steps[3]");
        result.Errors.Single(e => e.Path == "$.colour").Line.Should().Be(3);
        result.Errors.Single(e => e.Path == "$.steps[1].id").Message.Should().Be("the step id 'a' is used twice; step ids must be unique.");
    }

    [Fact]
    public void The_canonical_json_reads_back_to_the_same_definition()
    {
        var loaded = WorkflowLoader.Parse("""
            { "id": "w", "version": 3, "title": "T",
              "inputs": { "n": { "type": "number", "default": 2 }, "k": { "secret": true } },
              "retry": { "maxAttempts": 3, "initialDelay": "PT5S" },
              "steps": [ { "id": "a", "uses": "x", "with": { "v": [1, "{{ inputs.n }}"] }, "when": "inputs.n > 1", "timeout": "00:01:00", "skippable": false } ] }
            """).Definition!;

        var canonical = WorkflowWriter.ToJson(loaded);
        var again = WorkflowLoader.FromJson(canonical);

        WorkflowWriter.ToJson(again).ToJsonString().Should().Be(canonical.ToJsonString());
        again.Version.Should().Be("3");
        again.Steps[0].Timeout.Should().Be(TimeSpan.FromMinutes(1));
        again.Retry!.InitialDelay.Should().Be(TimeSpan.FromSeconds(5));
        WorkflowWriter.Hash(again).Should().Be(WorkflowWriter.Hash(loaded)).And.HaveLength(64);
    }

    [Fact]
    public void A_repeated_property_is_an_error_with_its_path()
    {
        var loaded = WorkflowLoader.Parse("""{ "id": "a", "id": "b", "steps": [ { "id": "s", "uses": "delay" } ] }""");

        loaded.Definition.Should().BeNull();
        loaded.Errors.Single().Message.Should().StartWith("not valid JSON: Duplicate property 'id'");
    }
}
