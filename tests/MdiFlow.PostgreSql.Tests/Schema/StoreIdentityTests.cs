using MdiFlow.PostgreSql.Schema;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;

namespace MdiFlow.PostgreSql.Tests.Schema;

/// <summary>A database that must not hold the store is refused, and left exactly as it was.</summary>
public sealed class StoreIdentityTests : DatabaseTest
{
    [Fact]
    public async Task A_database_of_another_application_is_refused_untouched_with_a_message_that_says_what_to_do()
    {
        await Database.ExecuteAsync("CREATE TABLE customers (id int PRIMARY KEY, name text); CREATE SCHEMA sales; CREATE TABLE sales.orders (id int)");
        var before = await SnapshotAsync();

        await ShouldBeRefusedAsync(
            $"The database '{Database.Name}' on *:* as 'postgres' is not an MdiFlow store: it holds tables of another application (public.customers, sales.orders). It was left untouched. Point --store at a new, empty database (CREATE DATABASE mdiflow OWNER mdiflow_owner;) or at an MdiFlow store.");
        (await SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_schema_named_mdiflow_that_mdiflow_did_not_create_is_refused_untouched()
    {
        await Database.ExecuteAsync("CREATE SCHEMA mdiflow; CREATE TABLE mdiflow.notes (id int)");
        var before = await SnapshotAsync();

        await ShouldBeRefusedAsync($"The database '{Database.Name}' * is not an MdiFlow store: its schema 'mdiflow' holds objects that MdiFlow did not create. It was left untouched.*");
        (await SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task An_empty_schema_named_mdiflow_prepared_by_an_administrator_is_used()
    {
        await Database.ExecuteAsync("DO $$ BEGIN CREATE ROLE mdiflow_owner NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
        await Database.ExecuteAsync("CREATE SCHEMA mdiflow AUTHORIZATION mdiflow_owner");

        await Open().OpenAsync();

        (await Database.ScalarAsync<int>("SELECT schema_version FROM mdiflow.store_info")).Should().Be(StoreSchema.CurrentVersion);
    }

    [Fact]
    public async Task A_store_written_by_a_newer_mdiflow_is_refused_untouched()
    {
        var store = Open();
        await CreateAsync(store);
        await store.DisposeAsync();
        var newer = StoreSchema.CurrentVersion + 1;
        await Database.ExecuteAsync($"UPDATE mdiflow.store_info SET schema_version = {newer}");
        var before = await SnapshotAsync();

        await ShouldBeRefusedAsync(
            $"The database '{Database.Name}' on *:* as 'postgres' holds an MdiFlow store written by a newer MdiFlow (schema {newer}; this version reads up to {StoreSchema.CurrentVersion}). Upgrade mdiflow, or point --store at another store. The database was left untouched.");
        (await SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_database_that_is_not_utf8_is_refused()
    {
        var name = Database.Name + "_l1";
        await TestDatabase.Server.ExecuteAsync($"CREATE DATABASE \"{name}\" ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        try
        {
            var store = Open(TestDatabase.Server.AdminConnectionString(name));

            var open = async () => await store.OpenAsync();

            (await open.Should().ThrowAsync<StoreException>()).WithMessage($"The database '{name}' * uses the encoding LATIN1; an MdiFlow store needs UTF8*");
            await store.DisposeAsync();
        }
        finally
        {
            // A throwaway server goes with its databases; a DROP would wait for a checkpoint of the whole busy server.
            if (!TestDatabase.Server.IsThrowaway)
            {
                await TestDatabase.Server.ExecuteAsync($"DROP DATABASE \"{name}\" WITH (FORCE)");
            }
        }
    }

    [Fact]
    public void Servers_before_PostgreSQL_13_and_servers_without_fsync_are_refused()
    {
        var settings = new StoreSettings(new PostgreSqlStoreOptions { ConnectionString = "Host=db01;Database=mdiflow;Username=dc01_worker;Password=hunter2" });

        var old = () => StoreIdentity.Judge(new StoreFacts(120015, "UTF8", Fsync: true, 0, []), settings, StoreSchema.CurrentVersion);
        var unsafeServer = () => StoreIdentity.Judge(new StoreFacts(150004, "UTF8", Fsync: false, 0, []), settings, StoreSchema.CurrentVersion);

        old.Should().Throw<StoreException>().WithMessage("The PostgreSQL server of the database 'mdiflow' on db01:5432 as 'dc01_worker' is version 12; MdiFlow needs PostgreSQL 13 or later.*");
        unsafeServer.Should().Throw<StoreException>().WithMessage("The PostgreSQL server of the database 'mdiflow' on db01:5432 as 'dc01_worker' runs with fsync=off, so a committed transition could be lost*");
    }

    private async Task ShouldBeRefusedAsync(string message)
    {
        var store = Open();
        var open = async () => await store.OpenAsync();
        (await open.Should().ThrowAsync<StoreException>()).WithMessage(message);

        // Every operation refuses it, not only the first.
        var list = async () => await store.ListAsync(new InstanceQuery());
        (await list.Should().ThrowAsync<StoreException>()).WithMessage(message);
    }

    /// <summary>Every object, and the store's marker if there is one: what "left untouched" means here.</summary>
    private async Task<string> SnapshotAsync()
    {
        var objects = await Database.ScalarAsync<string>("""
            SELECT coalesce(string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text || ':' || c.relfilenode || ':' || c.xmin::text, ',' ORDER BY n.nspname, c.relname), '')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
            """);
        var marked = await Database.ScalarAsync<bool>("SELECT to_regclass('mdiflow.store_info') IS NOT NULL");
        return marked ? objects + "|" + await Database.ScalarAsync<string>("SELECT string_agg(schema_version || ':' || xmin::text, ',') FROM mdiflow.store_info") : objects;
    }
}
