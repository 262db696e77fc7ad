using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests;

public sealed class PostgreSqlWorkflowStoreTests : DatabaseTest
{
    [Fact]
    public async Task Columns_hold_utc_ticks_lowercase_statuses_and_the_document_text_exactly()
    {
        var store = Open();
        var (instance, entries) = TestInstances.MidRun(Time);
        await store.CreateAsync(instance, entries);

        (await Database.ScalarAsync<string>("SELECT status FROM mdiflow.instances")).Should().Be("scheduled");
        (await Database.ScalarAsync<long>("SELECT created_at FROM mdiflow.instances")).Should().Be(instance.CreatedAt.UtcTicks);
        (await Database.ScalarAsync<long>("SELECT due_at FROM mdiflow.instances")).Should().Be(instance.DueAt!.Value.UtcTicks);
        (await Database.ScalarAsync<long>("SELECT version FROM mdiflow.instances")).Should().Be(1);
        (await Database.ScalarAsync<long>("SELECT at FROM mdiflow.journal WHERE seq = 1")).Should().Be(entries[0].At.UtcTicks);
        (await Database.ScalarAsync<string>("SELECT document::text FROM mdiflow.instances")).Should().Be(InstanceDocument.Serialize(instance));
        (await Database.ScalarAsync<DateTime>("SELECT mdiflow.ticks_to_timestamptz(created_at) FROM mdiflow.instances"))
            .Should().Be(new DateTime(2025, 6, 2, 9, 15, 30, DateTimeKind.Utc).AddTicks(1_234_570), "the helper shows ticks as a time, rounded to the microsecond");
    }

    [Fact]
    public async Task Each_definition_is_stored_once_whichever_store_created_its_instances()
    {
        var first = Open();
        var second = Open();

        await CreateAsync(first);
        await CreateAsync(second);
        await CreateAsync(first);

        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.definitions")).Should().Be(1);
        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.instances")).Should().Be(3);
    }

    [Fact]
    public async Task A_save_whose_journal_entries_cannot_be_written_changes_nothing()
    {
        var store = Open();
        var (created, written) = await CreateAsync(store);
        var loaded = (await store.FindAsync(created.Id))!;
        loaded.Status = InstanceStatus.Completed;
        var clash = written[0] with { Kind = JournalKinds.InstanceCompleted };

        var act = async () => await store.SaveAsync(loaded, [clash]);

        (await act.Should().ThrowAsync<StoreException>())
            .WithMessage($"The PostgreSQL store in the database '{Database.Name}' on *:* as 'postgres' refused the operation: 23505: duplicate key value violates unique constraint \"journal_pkey\".")
            .Which.InnerException.Should().BeOfType<PostgresException>();
        loaded.Version.Should().Be(1);
        var found = (await store.FindAsync(created.Id))!;
        (found.Version, found.Status).Should().Be((1, InstanceStatus.Pending));
        (await store.ReadJournalAsync(created.Id)).Should().Equal(written);
    }

    [Fact]
    public async Task Commits_are_durable_even_where_the_database_turns_synchronous_commit_off()
    {
        await Database.ExecuteAsync($"ALTER DATABASE \"{Database.Name}\" SET synchronous_commit = off");

        (await Open().ReadWriterSettingAsync("synchronous_commit")).Should().Be("on");
    }

    [Fact]
    public async Task A_stronger_synchronous_commit_of_the_database_is_kept()
    {
        await Database.ExecuteAsync($"ALTER DATABASE \"{Database.Name}\" SET synchronous_commit = remote_apply");

        (await Open().ReadWriterSettingAsync("synchronous_commit")).Should().Be("remote_apply");
    }

    [Fact]
    public async Task The_writing_connection_finds_rows_by_index_whatever_the_size_of_a_batch()
    {
        (await Open().ReadWriterSettingAsync("enable_seqscan")).Should().Be("off");
    }

    [Fact]
    public async Task Connections_are_named_mdiflow_in_pg_stat_activity()
    {
        var store = Open();
        await CreateAsync(store);

        (await Database.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{Database.Name}' AND application_name = 'mdiflow'"))
            .Should().BePositive();
    }

    [Fact]
    public async Task A_store_keeps_at_most_ten_connections_unless_its_connection_string_says_otherwise()
    {
        var store = Open();
        var (created, _) = await CreateAsync(store);

        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () => await store.FindAsync(created.Id))));

        (await Database.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{Database.Name}' AND application_name = 'mdiflow'"))
            .Should().BeInRange(2, StoreSettings.DefaultPoolSize);
        var wide = Open(new Npgsql.NpgsqlConnectionStringBuilder(Database.ConnectionString) { MaxPoolSize = 40, ApplicationName = "wide" }.ConnectionString);
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () => await wide.FindAsync(created.Id))));
        (await Database.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{Database.Name}' AND application_name = 'wide'"))
            .Should().BeInRange(1, 40);
    }

    [Theory]
    [InlineData("mdiflow_owner")]
    [InlineData("mdiflow_app")]
    public async Task A_document_edited_in_the_database_fails_its_seal_naming_the_instance(string role)
    {
        var store = Open();
        var (created, _) = await CreateAsync(store);
        var editor = await Database.CreateLoginAsync("editor", role);
        await ExecuteAsAsync(editor.ConnectionString, $"UPDATE mdiflow.instances SET document = jsonb_set(document::jsonb, '{{requester}}', '\"mallory\"')::json WHERE id = '{created.Id}'");

        var act = async () => await Open().FindAsync(created.Id);

        (await act.Should().ThrowAsync<IntegrityException>())
            .WithMessage($"Instance {created.Id} in the database '{Database.Name}' on * does not match its seal under the journal key k1-*: its stored state was changed outside MdiFlow. Nothing was run.*");
    }

    [Fact]
    public async Task Another_instances_document_and_seal_copied_over_an_instance_fail_its_seal()
    {
        var store = Open();
        var (victim, _) = await CreateAsync(store);
        var (donor, _) = await CreateAsync(store);
        await Database.ExecuteAsync($"UPDATE mdiflow.instances AS v SET document = d.document, seal = d.seal FROM mdiflow.instances AS d WHERE v.id = '{victim.Id}' AND d.id = '{donor.Id}'");

        var act = async () => await store.FindAsync(victim.Id);

        (await act.Should().ThrowAsync<IntegrityException>()).WithMessage($"Instance {victim.Id} in the database * does not match its seal*");
        (await store.FindAsync(donor.Id))!.Id.Should().Be(donor.Id);
    }

    [Fact]
    public async Task A_status_column_that_disagrees_with_the_sealed_document_is_refused()
    {
        var store = Open();
        var (created, _) = await CreateAsync(store);
        await Database.ExecuteAsync($"UPDATE mdiflow.instances SET status = 'completed' WHERE id = '{created.Id}'");

        var act = async () => await store.FindAsync(created.Id);

        (await act.Should().ThrowAsync<IntegrityException>())
            .WithMessage($"Instance {created.Id} in the database '{Database.Name}' on * has a status or definition column (completed, *) that disagrees with its sealed document (pending, *): the store was changed outside MdiFlow. Nothing was done.");
    }

    [Fact]
    public async Task A_document_that_is_not_an_instance_fails_with_a_damaged_StoreException_when_its_seal_holds()
    {
        var store = Open();
        var (created, _) = await CreateAsync(store);
        const string Document = "{\"id\": 42}";
        var seal = InstanceDocument.Seal(JournalKey.Load(Database.KeyFile), created.Id, Document);
        await Database.ExecuteAsync($"UPDATE mdiflow.instances SET document = '{Document}', seal = '{seal}'");

        var act = async () => await store.FindAsync(created.Id);

        (await act.Should().ThrowAsync<StoreException>())
            .WithMessage($"The MdiFlow store in the database '{Database.Name}' * is damaged (instance {created.Id}: *). Restore the database from a backup, or point --store at another store.");
    }

    [Fact]
    public async Task The_journal_tail_is_the_last_entry_or_null_for_an_unknown_instance()
    {
        var store = Open();
        var (instance, entries) = TestInstances.MidRun(Time);
        await store.CreateAsync(instance, entries);

        (await store.ReadJournalTailAsync(instance.Id)).Should().Be(new JournalTail(entries[^1].Seq, entries[^1].Mac));
        (await store.ReadJournalTailAsync(TestInstances.New(Time).Id)).Should().BeNull();
    }

    private static async Task ExecuteAsAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Every_instance_is_still_there_after_the_store_is_reopened()
    {
        var (instance, entries) = TestInstances.MidRun(Time);
        await using (var first = new PostgreSqlWorkflowStore(Database.Options()))
        {
            await first.CreateAsync(instance, entries);
        }

        var reopened = Open();

        InstanceDocument.Serialize((await reopened.FindAsync(instance.Id))!).Should().Be(InstanceDocument.Serialize(instance));
        (await reopened.ReadJournalAsync(instance.Id)).Should().Equal(entries);
    }

    [Fact]
    public async Task A_disposed_store_refuses_further_work()
    {
        var store = Open();
        await CreateAsync(store);
        await store.DisposeAsync();

        var list = async () => await store.ListAsync(new InstanceQuery());
        var create = async () => await CreateAsync(store);

        await list.Should().ThrowAsync<ObjectDisposedException>();
        await create.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task Nothing_is_opened_before_the_first_operation()
    {
        var store = Open(TestDatabase.Server.AdminConnectionString("no_such_database_yet"));

        store.Description.Should().Be($"database 'no_such_database_yet' on {TestDatabase.Server.Host}:{TestDatabase.Server.Port} as 'postgres'");
        var open = async () => await store.OpenAsync();
        (await open.Should().ThrowAsync<StoreException>()).WithMessage("The database 'no_such_database_yet' does not exist*");
    }

    [Fact]
    public async Task A_cancelled_save_is_not_written()
    {
        var store = Open();
        var (created, written) = await CreateAsync(store);
        var loaded = (await store.FindAsync(created.Id))!;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var act = async () => await store.SaveAsync(loaded, [TestInstances.Append(loaded, Time, JournalKinds.InstanceResumed)], cancelled.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        loaded.Version.Should().Be(1);
        (await store.ReadJournalAsync(created.Id)).Should().Equal(written);
    }
}
