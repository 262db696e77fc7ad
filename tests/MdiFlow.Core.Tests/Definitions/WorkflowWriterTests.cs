using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Definitions;

namespace MdiFlow.Core.Tests.Definitions;

public sealed class WorkflowWriterTests
{
    public static TheoryData<string> Definitions => new()
    {
        """{ "id": "w", "steps": [ { "id": "a", "uses": "test.echo", "with": { "message": "hi" } } ] }""",
        """
        { "id": "mdi-unicode", "version": "2.0", "title": "Déploiement <b>&</b> \"quotes\" \u2028",
          "inputs": { "workspace": { "type": "string", "required": true, "description": "the workspace" },
                      "servers": { "type": "array", "default": ["DC01", "DC02"] },
                      "accessKey": { "type": "string", "secret": true } },
          "retry": { "maxAttempts": 3, "initialDelay": "PT2S", "backoffCoefficient": 1.5, "maxDelay": "PT1M", "jitter": 0.25, "nonRetryable": ["a", "b"] },
          "steps": [
            { "id": "a", "uses": "test.echo", "title": "Échos", "with": { "message": "{{ inputs.workspace }}", "n": 1e3, "list": [1, 2.50, null, true, { "x": "y" }] },
              "when": "inputs.workspace != ''", "retry": { "maxAttempts": 2 }, "timeout": "PT30S", "totalTimeout": "PT5M", "skippable": false },
            { "id": "b", "uses": "approval", "with": { "approvers": ["group:CAB"], "minApprovals": 2 } } ] }
        """,
    };

    [Theory]
    [MemberData(nameof(Definitions))]
    public void The_hash_written_straight_from_a_definition_is_the_hash_of_its_canonical_json(string json)
    {
        var loaded = WorkflowLoader.Parse(json);
        loaded.Errors.Should().BeEmpty();
        var definition = loaded.Definition!;

        WorkflowWriter.Hash(definition).Should().Be(WorkflowWriter.Hash(WorkflowWriter.ToJson(definition)));
    }

    [Fact]
    public void Every_workflow_in_the_repository_hashes_the_same_both_ways()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "MdiFlow.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("MdiFlow.sln not found above the test binaries.");
        }

        var files = Directory.EnumerateFiles(Path.Combine(root, "workflows"), "*.json", SearchOption.AllDirectories).Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).ToList();
        files.Should().NotBeEmpty();
        foreach (var file in files)
        {
            if (WorkflowLoader.LoadFile(file).Definition is { } definition)
            {
                WorkflowWriter.Hash(definition).Should().Be(WorkflowWriter.Hash(WorkflowWriter.ToJson(definition)), file);
            }
        }
    }

    [Fact]
    public void Two_inputs_with_one_name_hash_as_the_tree_keeps_them()
    {
        var definition = new WorkflowDefinition
        {
            Id = "w",
            Inputs = [new InputDefinition { Name = "x", Type = "string" }, new InputDefinition { Name = "x", Type = "number" }],
        };

        WorkflowWriter.Hash(definition).Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(WorkflowWriter.ToJson(definition).ToJsonString()))));
    }

    [Fact]
    public void A_definition_changed_in_place_hashes_differently()
    {
        var definition = WorkflowLoader.Parse("""{ "id": "w", "steps": [ { "id": "a", "uses": "test.echo", "with": { "message": "v1" } } ] }""").Definition!;
        var before = WorkflowWriter.Hash(definition);

        definition.Steps[0].With["message"] = JsonValue.Create("v2");

        WorkflowWriter.Hash(definition).Should().NotBe(before);
    }
}
