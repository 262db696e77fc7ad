using MdiFlow.Instances;
using MdiFlow.Sqlite.Schema;
using MdiFlow.Sqlite.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing;

namespace MdiFlow.Sqlite.Tests.Schema;

public sealed class SchemaMigratorTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string StorePath => _directory.Combine("mdiflow.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Migrations_are_numbered_from_1_without_gaps()
    {
        StoreSchema.Migrations.Select(m => m.Version).Should().Equal(Enumerable.Range(1, StoreSchema.Migrations.Count));
        StoreSchema.CurrentVersion.Should().Be(5);
    }

    [Fact]
    public async Task A_new_path_becomes_a_store_of_the_current_schema()
    {
        using (var store = new SqliteWorkflowStore(StorePath))
        {
            await store.OpenAsync();
        }

        ShouldBeCurrentStore();
    }

    [Fact]
    public async Task An_empty_file_becomes_a_store_of_the_current_schema()
    {
        await File.WriteAllBytesAsync(StorePath, []);

        using (var store = new SqliteWorkflowStore(StorePath))
        {
            (await store.ListAsync(new InstanceQuery())).Should().BeEmpty();
        }

        ShouldBeCurrentStore();
    }

    [Fact]
    public async Task An_empty_sqlite_database_is_migrated_to_the_current_schema()
    {
        StoreFiles.Execute(StorePath, "CREATE TABLE scratch (x); DROP TABLE scratch;");
        StoreFiles.Scalar<long>(StorePath, "PRAGMA user_version").Should().Be(0);

        using (var store = new SqliteWorkflowStore(StorePath))
        {
            await store.OpenAsync();
        }

        ShouldBeCurrentStore();
    }

    [Fact]
    public async Task Opening_a_current_store_does_not_change_the_file()
    {
        using (var store = new SqliteWorkflowStore(StorePath))
        {
            await store.OpenAsync();
        }

        var before = StoreFiles.Sha256(StorePath);
        using (var store = new SqliteWorkflowStore(StorePath))
        {
            (await store.ListAsync(new InstanceQuery())).Should().BeEmpty();
        }

        StoreFiles.Sha256(StorePath).Should().Be(before);
    }

    [Fact]
    public async Task Stores_opening_one_new_file_at_once_migrate_it_once()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new SqliteWorkflowStore(StorePath)).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(async () => await s.OpenAsync())));
        }
        finally
        {
            stores.ForEach(s => s.Dispose());
        }

        ShouldBeCurrentStore();
    }

    private void ShouldBeCurrentStore()
    {
        using var raw = StoreFiles.OpenRaw(StorePath, Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly);
        raw.Scalar<long>("PRAGMA user_version").Should().Be(StoreSchema.CurrentVersion);
        raw.Scalar<long>("PRAGMA application_id").Should().Be(0x4D444946);
        raw.Scalar<string>("PRAGMA journal_mode").Should().Be("wal");
        raw.Scalar<string>("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name)")
            .Should().Be("definitions,instances,ix_instances_created_at,ix_instances_status_created_at,ix_instances_wake_at,journal,journal_no_delete,journal_no_update,worker_hosts");
    }
}
