using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Schema;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests.Schema;

/// <summary>The database itself keeps the journal append-only: the application role lacks the privileges, and triggers refuse everyone.</summary>
public sealed class StoreSchemaTests : DatabaseTest
{
    [Theory]
    [InlineData("UPDATE mdiflow.journal SET actor = 'mallory'")]
    [InlineData("DELETE FROM mdiflow.journal")]
    [InlineData("TRUNCATE mdiflow.journal")]
    [InlineData("DELETE FROM mdiflow.instances")]
    [InlineData("UPDATE mdiflow.instances SET definition_hash = 'other', created_at = 0")]
    [InlineData("UPDATE mdiflow.definitions SET definition = '{}'")]
    [InlineData("UPDATE mdiflow.store_info SET schema_version = 1")]
    public async Task The_application_role_may_not_change_or_remove_the_record(string sql)
    {
        var written = await CreateWithHistoryAsync();
        var app = await Database.CreateLoginAsync("app", "mdiflow_app");
        await using var connection = await Database.OpenAsync(app.ConnectionString);

        var act = async () =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        };

        (await act.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        (await Open().ReadJournalAsync(written.Instance.Id)).Should().Equal(written.Entries);
    }

    [Theory]
    [InlineData("UPDATE mdiflow.journal SET actor = 'mallory'", "UPDATE")]
    [InlineData("DELETE FROM mdiflow.journal", "DELETE")]
    [InlineData("TRUNCATE mdiflow.journal", "TRUNCATE")]
    public async Task Triggers_refuse_journal_changes_even_to_the_owner_and_superusers(string sql, string operation)
    {
        var written = await CreateWithHistoryAsync();
        await using var connection = await Database.OpenAsync();

        var act = async () =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        };

        (await act.Should().ThrowAsync<PostgresException>())
            .Which.MessageText.Should().Be($"the MdiFlow journal is append-only: {operation} on mdiflow.journal is refused");
        (await Open().ReadJournalAsync(written.Instance.Id)).Should().Equal(written.Entries);
    }

    [Fact]
    public async Task The_application_role_runs_a_store_end_to_end()
    {
        await Open().OpenAsync();
        var app = await Database.CreateLoginAsync("app", "mdiflow_app");
        var store = Open(app.ConnectionString);

        var (instance, written) = await CreateAsync(store);
        var loaded = (await store.FindAsync(instance.Id))!;
        loaded.Status = InstanceStatus.Running;
        written.Add(TestInstances.Append(loaded, Time, JournalKinds.InstanceResumed));
        await store.SaveAsync(loaded, written[1..]);

        (await store.ListAsync(new InstanceQuery(InstanceStatus.Running))).Should().ContainSingle();
        (await store.FindByPrefixAsync(instance.Id.Value[..8], 10)).Should().ContainSingle();
        (await store.ReadJournalAsync(instance.Id)).Should().Equal(written);
    }

    [Fact]
    public async Task The_owner_role_owns_every_object_and_the_application_role_has_only_what_it_needs()
    {
        await Open().OpenAsync();

        (await Database.ScalarAsync<long>("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'mdiflow' AND pg_get_userbyid(c.relowner) <> 'mdiflow_owner'"))
            .Should().Be(0);
        (await Database.ScalarAsync<string>("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'mdiflow'")).Should().Be("mdiflow_owner");
        (await Privileges("mdiflow.journal")).Should().Be("INSERT, SELECT");
        (await Privileges("mdiflow.definitions")).Should().Be("INSERT, SELECT");
        (await Privileges("mdiflow.instances")).Should().Be("INSERT, SELECT");
        (await Privileges("mdiflow.store_info")).Should().Be("SELECT");
        (await Database.ScalarAsync<string>("""
            SELECT string_agg(attname, ', ' ORDER BY attname) FROM pg_attribute
            WHERE attrelid = 'mdiflow.instances'::regclass AND attnum > 0 AND has_column_privilege('mdiflow_app', attrelid, attnum, 'UPDATE')
            """)).Should().Be("document, due_at, lease_token, required_host, seal, status, updated_at, version, wake_at");
    }

    [Fact]
    public async Task The_schema_history_says_what_each_migration_did_and_who_ran_it()
    {
        await Open().OpenAsync();

        (await Database.ScalarAsync<string>("SELECT string_agg(version || ' ' || applied_by || ': ' || description, '; ' ORDER BY version) FROM mdiflow.schema_history"))
            .Should().Be(string.Join("; ", StoreSchema.Migrations.Select(m => $"{m.Version} postgres: {m.Description}")));
        (await Database.ScalarAsync<int>("SELECT schema_version FROM mdiflow.store_info")).Should().Be(StoreSchema.CurrentVersion);
    }

    private async Task<string> Privileges(string table) =>
        await Database.ScalarAsync<string>($"""
            SELECT string_agg(p, ', ' ORDER BY p) FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p
            WHERE has_table_privilege('mdiflow_app', '{table}', p)
            """);

    private async Task<(WorkflowInstance Instance, List<JournalEntry> Entries)> CreateWithHistoryAsync()
    {
        var store = Open();
        var (instance, entries) = TestInstances.MidRun(Time);
        await store.CreateAsync(instance, entries);
        return (instance, [.. entries]);
    }
}
