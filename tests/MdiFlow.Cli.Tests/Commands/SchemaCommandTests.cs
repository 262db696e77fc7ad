using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class SchemaCommandTests(PublishedCli cli)
{
    [Fact]
    public void The_schema_in_the_workflows_folder_is_the_one_the_installed_activities_generate()
    {
        var generated = cli.Mdiflow(PublishedCli.RepositoryRoot, "schema");
        generated.ExitCode.Should().Be(0, generated.ToString());
        var path = Path.Combine(PublishedCli.RepositoryRoot, "workflows", "mdiflow.schema.json");
        var committed = File.Exists(path) ? File.ReadAllText(path) : "";
        if (committed.ReplaceLineEndings() != generated.Stdout.ReplaceLineEndings() && Environment.GetEnvironmentVariable("CI") != "true")
        {
            File.WriteAllText(path, generated.Stdout);
        }

        committed.ReplaceLineEndings().Should().Be(generated.Stdout.ReplaceLineEndings(), "workflows/mdiflow.schema.json must match 'mdiflow schema'; it has been regenerated, commit it");
    }

    [Fact]
    public void Every_workflow_in_the_repository_validates()
    {
        var files = Directory.EnumerateFiles(Path.Combine(PublishedCli.RepositoryRoot, "workflows"), "*.json")
            .Where(f => !f.EndsWith("mdiflow.schema.json", StringComparison.Ordinal)).ToArray();
        files.Should().NotBeEmpty();

        var result = cli.Mdiflow(PublishedCli.RepositoryRoot, ["validate", .. files]);

        result.ExitCode.Should().Be(0, result.ToString());
    }
}
