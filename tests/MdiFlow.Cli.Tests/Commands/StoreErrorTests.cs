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
    public void A_worker_of_a_second_host_on_one_sqlite_store_exits_3_pointing_to_postgresql()
    {
        var first = cli.Mdiflow(_ws.Root, "worker", "--once", "--host", "DC01", "--store", _ws.Store);
        var second = cli.Mdiflow(_ws.Root, "worker", "--once", "--host", "DC02", "--store", _ws.Store);
        var again = cli.Mdiflow(_ws.Root, "worker", "--once", "--host", "dc01", "--store", _ws.Store);

        first.ExitCode.Should().Be(0, first.ToString());
        second.ExitCode.Should().Be(3, second.ToString());
        second.Stderr.Should().Contain("is used by the worker of another host, DC01").And.Contain("so this worker of DC02 was refused")
            .And.Contain("Share one store between hosts with PostgreSQL: --store 'postgres:Host=...;Database=...' (see docs/postgresql.md)");
        again.ExitCode.Should().Be(0, "the first host's worker goes on, whatever the case of its name");
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
