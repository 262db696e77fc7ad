using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Sqlite.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing;
using MdiFlow.Testing.Storage;
using Microsoft.Data.Sqlite;

namespace MdiFlow.Sqlite.Tests;

public sealed class SqliteWorkflowStoreTests : WorkflowStoreContract
{
    private readonly TempDirectory _directory = new();

    private string StorePath => _directory.Combine("mdiflow.db");

    protected override ValueTask<IWorkflowStore> CreateStoreAsync() => new(new SqliteWorkflowStore(StorePath));

    protected override ValueTask<IWorkflowStore> OpenPeerStoreAsync() => new(new SqliteWorkflowStore(StorePath));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    private SqliteWorkflowStore Sqlite => (SqliteWorkflowStore)Store;

    [Fact]
    public async Task The_store_writes_ahead_and_commits_with_full_synchronous_durability_by_default()
    {
        (await Sqlite.ReadPragmaAsync("journal_mode")).Should().Be("wal");
        (await Sqlite.ReadPragmaAsync("synchronous")).Should().Be("2");
        (await Sqlite.ReadPragmaAsync("foreign_keys")).Should().Be("1");
        (await Sqlite.ReadPragmaAsync("busy_timeout")).Should().Be("5000");
    }

    [Fact]
    public async Task Normal_synchronous_and_the_busy_timeout_are_applied_when_chosen()
    {
        using var store = new SqliteWorkflowStore(new SqliteStoreOptions { Path = StorePath, Synchronous = SqliteSynchronous.Normal, BusyTimeout = TimeSpan.FromMilliseconds(750) });

        (await store.ReadPragmaAsync("synchronous")).Should().Be("1");
        (await store.ReadPragmaAsync("busy_timeout")).Should().Be("750");
    }

    [Fact]
    public async Task Columns_hold_round_trip_utc_times_and_lowercase_statuses()
    {
        var (instance, entries) = TestInstances.MidRun(Time);
        await Store.CreateAsync(instance, entries);

        using var raw = StoreFiles.OpenRaw(StorePath, SqliteOpenMode.ReadOnly);
        raw.Scalar<string>("SELECT status FROM instances").Should().Be("scheduled");
        raw.Scalar<string>("SELECT created_at FROM instances").Should().Be("2025-06-02T09:15:30.1234567+00:00");
        raw.Scalar<string>("SELECT due_at FROM instances").Should().Be(instance.DueAt!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        raw.Scalar<long>("SELECT version FROM instances").Should().Be(1);
        raw.Scalar<string>("SELECT at FROM journal WHERE seq = 1").Should().Be("2025-06-02T09:15:30.1234567+00:00");
        InstanceDocument.Deserialize(raw.Scalar<string>("SELECT document FROM instances")).Version.Should().Be(1);
    }

    [Fact]
    public async Task A_second_store_on_the_same_file_sees_the_first_stores_writes()
    {
        var (created, written) = await CreateAsync(InstanceStatus.Running);
        using var second = new SqliteWorkflowStore(StorePath);
        (await second.FindAsync(created.Id))!.Version.Should().Be(1);

        var loaded = (await Store.FindAsync(created.Id))!;
        loaded.Status = InstanceStatus.Completed;
        written.Add(TestInstances.Append(loaded, Time, JournalKinds.InstanceCompleted));
        await Store.SaveAsync(loaded, written[1..]);

        (await second.FindAsync(created.Id))!.Status.Should().Be(InstanceStatus.Completed);
        (await second.ReadJournalAsync(created.Id)).Should().Equal(written);
        (await second.ListAsync(new InstanceQuery(InstanceStatus.Completed))).Should().ContainSingle();
    }

    [Fact]
    public async Task Two_stores_saving_the_same_loaded_version_give_one_ConcurrencyException()
    {
        var (created, _) = await CreateAsync();
        using var second = new SqliteWorkflowStore(StorePath);
        var first = (await Store.FindAsync(created.Id))!;
        var other = (await second.FindAsync(created.Id))!;

        var results = await Task.WhenAll(
            Task.Run(async () => await Attempt(Store, first)),
            Task.Run(async () => await Attempt(second, other)));

        results.Should().ContainSingle(r => r is ConcurrencyException);
        results.Should().ContainSingle(r => r == null);
        (await second.FindAsync(created.Id))!.Version.Should().Be(2);
        TestInstances.VerifyChain(created.Id, await second.ReadJournalAsync(created.Id)).Should().BeNull();

        async Task<Exception?> Attempt(IWorkflowStore store, WorkflowInstance instance)
        {
            try
            {
                await store.SaveAsync(instance, [TestInstances.Append(instance, Time, JournalKinds.InstanceResumed)]);
                return null;
            }
            catch (ConcurrencyException ex)
            {
                return ex;
            }
        }
    }

    [Fact]
    public async Task A_save_fails_with_a_locked_StoreException_while_another_connection_holds_the_write_lock_beyond_the_busy_timeout()
    {
        using var store = new SqliteWorkflowStore(new SqliteStoreOptions { Path = StorePath, BusyTimeout = TimeSpan.FromMilliseconds(100) });
        var instance = TestInstances.New(Time);
        await store.CreateAsync(instance, [TestInstances.Append(instance, Time, JournalKinds.InstanceCreated)]);
        using var locker = StoreFiles.OpenRaw(StorePath);
        locker.Execute("BEGIN EXCLUSIVE;");

        var act = async () => await store.SaveAsync(instance, [TestInstances.Append(instance, Time, JournalKinds.InstanceResumed)]);

        (await act.Should().ThrowAsync<StoreException>())
            .WithMessage($"The store '{StorePath}' is locked by another process and stayed locked for longer than 100 ms.*")
            .Which.InnerException.Should().BeOfType<SqliteException>();
        instance.Version.Should().Be(1);

        locker.Execute("ROLLBACK;");
        await store.SaveAsync(instance, [TestInstances.Append(instance, Time, JournalKinds.InstanceResumed)]);
        (await store.ReadJournalAsync(instance.Id)).Should().HaveCount(2);
    }

    [Fact]
    public async Task Opening_fails_with_a_locked_StoreException_while_another_connection_holds_an_exclusive_lock_on_the_file()
    {
        StoreFiles.Execute(StorePath, "PRAGMA journal_mode = DELETE; CREATE TABLE scratch (x); DROP TABLE scratch;");
        using var locker = StoreFiles.OpenRaw(StorePath);
        locker.Execute("BEGIN EXCLUSIVE;");
        using var store = new SqliteWorkflowStore(new SqliteStoreOptions { Path = StorePath, BusyTimeout = TimeSpan.FromMilliseconds(100) });

        var act = async () => await store.OpenAsync();

        (await act.Should().ThrowAsync<StoreException>()).WithMessage($"The store '{StorePath}' is locked by another process*");
        locker.Execute("ROLLBACK;");
        await store.OpenAsync();
        (await store.ReadPragmaAsync("user_version")).Should().Be(MdiFlow.Sqlite.Schema.StoreSchema.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_save_whose_journal_entries_cannot_be_written_changes_nothing()
    {
        var (created, written) = await CreateAsync();
        var loaded = (await Store.FindAsync(created.Id))!;
        loaded.Status = InstanceStatus.Completed;
        var clash = written[0] with { Kind = JournalKinds.InstanceCompleted };

        var act = async () => await Store.SaveAsync(loaded, [clash]);

        (await act.Should().ThrowAsync<StoreException>()).WithMessage($"The store '{StorePath}' failed: *UNIQUE constraint failed: journal.instance_id, journal.seq*");
        loaded.Version.Should().Be(1);
        var found = (await Store.FindAsync(created.Id))!;
        (found.Version, found.Status).Should().Be((1, InstanceStatus.Pending));
        (await Store.ReadJournalAsync(created.Id)).Should().Equal(written);
    }

    [Fact]
    public async Task A_store_whose_path_has_spaces_and_unusual_characters_is_recognised_when_reopened()
    {
        var path = _directory.Combine("rollout #1 100% zoë's store.db");
        var instance = TestInstances.New(Time);
        using (var store = new SqliteWorkflowStore(path))
        {
            await store.CreateAsync(instance, [TestInstances.Append(instance, Time, JournalKinds.InstanceCreated)]);
        }

        using var reopened = new SqliteWorkflowStore(path);

        (await reopened.FindAsync(instance.Id)).Should().NotBeNull();
    }

    [Fact]
    public async Task The_journal_refuses_updates_and_deletes_from_any_connection()
    {
        var (created, written) = await CreateAsync();
        using var raw = StoreFiles.OpenRaw(StorePath);

        var update = () => raw.Execute("UPDATE journal SET actor = 'mallory'");
        var delete = () => raw.Execute("DELETE FROM journal");

        update.Should().Throw<SqliteException>().WithMessage("*append-only*");
        delete.Should().Throw<SqliteException>().WithMessage("*append-only*");
        (await Store.ReadJournalAsync(created.Id)).Should().Equal(written);
    }

    [Fact]
    public async Task Every_instance_is_still_there_after_the_store_is_reopened()
    {
        var (instance, entries) = TestInstances.MidRun(Time);
        await Store.CreateAsync(instance, entries);
        Sqlite.Dispose();

        using var reopened = new SqliteWorkflowStore(StorePath);

        InstanceDocument.Serialize((await reopened.FindAsync(instance.Id))!).Should().Be(InstanceDocument.Serialize(instance));
        (await reopened.ReadJournalAsync(instance.Id)).Should().Equal(entries);
        StoreFiles.Companions(StorePath).Should().NotContain(StorePath + "-journal");
    }

    [Fact]
    public async Task A_document_edited_outside_MdiFlow_fails_its_seal()
    {
        var (created, _) = await CreateAsync();
        StoreFiles.Execute(StorePath, "UPDATE instances SET document = '{not json'");

        var act = async () => await Store.FindAsync(created.Id);

        (await act.Should().ThrowAsync<IntegrityException>()).WithMessage($"Instance {created.Id} in the store '{StorePath}' does not match its seal under the journal key k1-*: its stored state was changed outside MdiFlow*");
    }

    [Fact]
    public async Task A_disposed_store_refuses_further_work()
    {
        Sqlite.Dispose();

        var act = async () => await Store.ListAsync(new InstanceQuery());

        await act.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public void The_path_is_absolute_and_nothing_is_opened_before_the_first_operation()
    {
        using var store = new SqliteWorkflowStore(new SqliteStoreOptions { Path = Path.Combine(_directory.Path, "later", "..", "mdiflow-later.db") });

        store.Path.Should().Be(_directory.Combine("mdiflow-later.db"));
        File.Exists(store.Path).Should().BeFalse();
    }
}
