using MdiFlow.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace MdiFlow.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class StoreErrorTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public void A_store_with_a_newer_schema_exits_3_with_a_clear_message_and_is_left_unchanged()
    {
        var workflow = _ws.Write("one.json", """{ "id": "one", "steps": [ { "id": "s", "uses": "delay", "with": { "duration": "PT0S" } } ] }""");
        cli.Mdiflow(_ws.Root, "run", workflow, "--store", _ws.Store).ExitCode.Should().Be(0, "the first write creates the store");
        using (var connection = new SqliteConnection($"Data Source={_ws.StorePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=DELETE; PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var before = Workspace.Sha256(_ws.StorePath);

        var list = cli.Mdiflow(_ws.Root, "list", "--store", _ws.Store);

        list.ExitCode.Should().Be(3, list.ToString());
        list.Stderr.Should().Contain("newer");
        Workspace.Sha256(_ws.StorePath).Should().Be(before);
    }

    [Fact]
    public void A_file_that_is_not_an_mdiflow_store_exits_3_and_is_left_unchanged()
    {
        var notAStore = _ws.Write("notes.db", "These are my notes, not a database.\n");
        var before = Workspace.Sha256(notAStore);

        var list = cli.Mdiflow(_ws.Root, "list", "--store", "sqlite:" + notAStore);

        list.ExitCode.Should().Be(3, list.ToString());
        list.Stderr.Should().Contain("is not an MdiFlow store");
        Workspace.Sha256(notAStore).Should().Be(before);
        File.Exists(notAStore + "-wal").Should().BeFalse();
    }

    [Fact]
    public void The_published_cli_references_no_roslyn_assembly()
    {
        Directory.EnumerateFiles(cli.Directory, "*.dll").Select(Path.GetFileName).Should().NotContain(f => f!.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
        File.ReadAllText(Path.Combine(cli.Directory, "mdiflow.deps.json")).Should().NotContain("Microsoft.CodeAnalysis");
        Directory.EnumerateFiles(cli.Directory, "*.dll").Should().Contain(f => f.EndsWith("MdiFlow.Core.dll", StringComparison.Ordinal), "the check must look at the real published output");
    }

    public void Dispose() => _ws.Dispose();
}
