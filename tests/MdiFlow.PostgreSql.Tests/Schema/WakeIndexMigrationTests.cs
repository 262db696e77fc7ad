using MdiFlow.Instances;
using MdiFlow.PostgreSql.Tests.Support;

namespace MdiFlow.PostgreSql.Tests.Schema;

/// <summary>A store of schema 2 opened by this version: every unfinished instance gets its wake time; nothing else changes.</summary>
public sealed class WakeIndexMigrationTests : DatabaseTest
{
    [Fact]
    public async Task An_older_store_gets_the_wake_times_of_its_unfinished_instances_and_keeps_its_documents()
    {
        var old = Open();
        var pending = await CreateAsync(old, InstanceStatus.Pending);
        var completed = await CreateAsync(old, InstanceStatus.Completed);
        await old.DisposeAsync();

        // Back to schema 2, as a store of the previous release has it: no wake columns, no index, no leases table.
        await Database.ExecuteAsync("""
            ALTER TABLE mdiflow.instances DROP COLUMN wake_at, DROP COLUMN required_host, DROP COLUMN lease_token;
            DROP TABLE mdiflow.workers;
            DELETE FROM mdiflow.schema_history WHERE version >= 3;
            UPDATE mdiflow.store_info SET schema_version = 2;
            """);
        var documents = await Database.ScalarAsync<string>("SELECT string_agg(document::text || seal, '' ORDER BY id) FROM mdiflow.instances");

        var store = Open();
        var due = await store.FindRunnableAsync(Time.GetUtcNow(), "DC01", 10);

        due.Select(r => r.Id).Should().Equal(pending.Instance.Id);
        (await Database.ScalarAsync<long>($"SELECT wake_at FROM mdiflow.instances WHERE id = '{pending.Instance.Id}'")).Should().Be(pending.Instance.UpdatedAt.UtcTicks);
        (await Database.ScalarAsync<bool>($"SELECT wake_at IS NULL FROM mdiflow.instances WHERE id = '{completed.Instance.Id}'")).Should().BeTrue();
        (await Database.ScalarAsync<string>("SELECT string_agg(document::text || seal, '' ORDER BY id) FROM mdiflow.instances")).Should().Be(documents);
        (await Database.ScalarAsync<bool>("SELECT has_column_privilege('mdiflow_app', 'mdiflow.instances', 'wake_at', 'UPDATE')")).Should().BeTrue();
    }
}
