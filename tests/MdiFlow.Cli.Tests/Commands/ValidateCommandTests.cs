using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Commands;

/// <summary><c>mdiflow validate</c> against the installed activities: every mistake in one pass.</summary>
[Collection(CliCollection.Name)]
public sealed class ValidateCommandTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public void A_file_with_eight_different_mistakes_reports_all_of_them_in_one_run_each_with_its_suggestion()
    {
        var workflow = _ws.Write("eight.json", """
            {
              "id": "eight",
              "inputs": { "package": { "required": true } },
              "steps": [
                { "id": "hash", "uses": "file.hash", "with": { "path": "{{ inputs.packge }}" }, "tiemout": "PT1M" },
                { "id": "extract", "uses": "zip.extrac", "with": { "archive": "{{ inputs.package }}", "destination": "out" } },
                { "id": "health", "uses": "process.run", "with": { "file": "sh", "argumnts": ["-c", "true"] }, "timeout": "5 minutes" },
                { "id": "board", "uses": "approval", "with": { "approvers": ["group:cab"],
                    "instructions": "Hash {{ steps.hsh.output.sha256 }}, health says {{ steps.health.output.stdout }}" } },
                { "id": "last", "uses": "delay", "with": { "duration": "PT1S" }, "when": "steps.health.output.exitCode ==" }
              ]
            }
            """);

        var result = cli.Mdiflow(_ws.Root, "validate", workflow);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("has 8 error(s):")
            .And.Contain("$.steps[0].tiemout (line 5): unknown property 'tiemout'. Did you mean 'timeout'?")
            .And.Contain("$.steps[0].with.path (line 5): 'inputs.packge' reads an input that is not declared. Did you mean 'package'?")
            .And.Contain("$.steps[1].uses (line 6): unknown activity 'zip.extrac'; no installed activity has that name. Did you mean 'zip.extract'?")
            .And.Contain("$.steps[2].timeout (line 7): '5 minutes' is not a duration")
            .And.Contain("$.steps[2].with.argumnts (line 7): 'process.run' has no input 'argumnts'. Did you mean 'arguments'?")
            .And.Contain("$.steps[3].with.instructions (line 9): 'steps.hsh.output.sha256' binds to an unknown step 'hsh'. Did you mean 'hash'?")
            .And.Contain("$.steps[3].with.instructions (line 9): 'steps.health.output.stdout' reads 'stdout', which the output of 'process.run' does not have. Did you mean 'stdoutTail'? Its fields are: exitCode, stdoutTail, stderrTail.")
            .And.Contain("$.steps[4].when (line 10): the condition does not parse")
            .And.Contain("'mdiflow activities' lists the installed activities.");
    }

    [Fact]
    public void A_binding_to_the_output_of_a_continued_step_is_valid_with_a_warning()
    {
        var workflow = _ws.Write("warned.json", """
            { "id": "warned", "steps": [
              { "id": "check", "uses": "process.run", "with": { "file": "true" }, "onFailure": "continue" },
              { "id": "report", "uses": "process.run", "with": { "file": "echo", "arguments": ["{{ steps.check.output.exitCode }}"] } } ] }
            """);

        var result = cli.Mdiflow(_ws.Root, "validate", workflow);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("valid (warned v1, 2 steps)");
        result.Stderr.Should().Contain("warning: $.steps[1].with.arguments[0] (line 3): 'steps.check.output.exitCode' reads the output of step 'check', which has \"onFailure\": \"continue\"");
    }

    [Fact]
    public void Every_workflow_in_the_repository_validates_against_the_installed_activities()
    {
        var files = Directory.GetFiles(Path.Combine(PublishedCli.RepositoryRoot, "workflows"), "*.json")
            .Where(f => !f.EndsWith("mdiflow.schema.json", StringComparison.Ordinal)).ToArray();

        var result = cli.Mdiflow(_ws.Root, ["validate", .. files]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stderr.Should().NotContain("warning", "the repository's workflows check a continued step's status before reading its output");
    }

    public void Dispose() => _ws.Dispose();
}
