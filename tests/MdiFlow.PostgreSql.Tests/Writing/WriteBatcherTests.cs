using System.Diagnostics;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests.Writing;

/// <summary>
/// Group commit, made visible: a row lock taken from outside holds the store's commit, the saves that arrive meanwhile
/// queue, and the commits that follow say how many writes each carried.
/// </summary>
public sealed class WriteBatcherTests : DatabaseTest
{
    [Fact]
    public async Task Saves_that_arrive_while_a_commit_is_under_way_are_committed_together_in_one_transaction()
    {
        var store = Open();
        var blocker = (await CreateAsync(store)).Instance;
        var others = new List<WorkflowInstance>();
        for (var i = 0; i < 10; i++)
        {
            others.Add((await CreateAsync(store)).Instance);
        }

        using var commits = new CommitCounter(Database.Name);
        await using var holder = await HoldAsync(blocker.Id);
        var first = Save(store, (await store.FindAsync(blocker.Id))!);
        await holder.WaitUntilTheStoreWaitsAsync();
        var loaded = new List<WorkflowInstance>();
        foreach (var other in others)
        {
            loaded.Add((await store.FindAsync(other.Id))!);
        }

        var queued = loaded.Select(instance => Save(store, instance)).ToList();
        await holder.ReleaseAsync();
        await first;
        await Task.WhenAll(queued);

        commits.WritesPerCommit.Should().Equal(1, 10);
        foreach (var instance in others)
        {
            (await store.FindAsync(instance.Id))!.Version.Should().Be(2);
            TestInstances.VerifyChain(instance.Id, await store.ReadJournalAsync(instance.Id)).Should().BeNull();
        }
    }

    [Fact]
    public async Task A_row_the_database_refuses_fails_only_its_own_save_in_a_batch()
    {
        var store = Open();
        var blocker = (await CreateAsync(store)).Instance;
        var others = new List<(WorkflowInstance Instance, List<JournalEntry> Written)>();
        for (var i = 0; i < 6; i++)
        {
            others.Add(await CreateAsync(store));
        }

        using var commits = new CommitCounter(Database.Name);
        await using var holder = await HoldAsync(blocker.Id);
        var first = Save(store, (await store.FindAsync(blocker.Id))!);
        await holder.WaitUntilTheStoreWaitsAsync();
        var saves = new List<Task>();
        for (var i = 0; i < others.Count; i++)
        {
            var loaded = (await store.FindAsync(others[i].Instance.Id))!;
            loaded.Status = InstanceStatus.Running;
            IReadOnlyList<JournalEntry> entries = i == 3
                ? [others[i].Written[0] with { Kind = JournalKinds.InstanceResumed }] // seq 1 again: the primary key refuses it
                : [TestInstances.Append(loaded, Time, JournalKinds.InstanceResumed)];
            saves.Add(store.SaveAsync(loaded, entries).AsTask());
        }

        await holder.ReleaseAsync();
        await first;
        var outcomes = await Task.WhenAll(saves.Select(async s =>
        {
            try
            {
                await s;
                return null;
            }
            catch (StoreException ex)
            {
                return ex;
            }
        }));

        outcomes.Select(o => o is null).Should().Equal(true, true, true, false, true, true);
        outcomes[3]!.Message.Should().Contain("journal_pkey");
        commits.WritesPerCommit.Should().Equal(1, 1, 1, 1, 1, 1);
        for (var i = 0; i < others.Count; i++)
        {
            var found = (await store.FindAsync(others[i].Instance.Id))!;
            (found.Version, found.Status).Should().Be(i == 3 ? (1, InstanceStatus.Pending) : (2, InstanceStatus.Running));
            (await store.ReadJournalAsync(others[i].Instance.Id)).Should().HaveCount(i == 3 ? 1 : 2);
        }
    }

    [Fact]
    public async Task Two_saves_of_one_loaded_version_in_one_batch_let_exactly_one_win()
    {
        var store = Open();
        var blocker = (await CreateAsync(store)).Instance;
        var (target, _) = await CreateAsync(store);

        await using var holder = await HoldAsync(blocker.Id);
        var first = Save(store, (await store.FindAsync(blocker.Id))!);
        await holder.WaitUntilTheStoreWaitsAsync();
        var a = (await store.FindAsync(target.Id))!;
        var b = (await store.FindAsync(target.Id))!;
        var saveA = Save(store, a);
        var saveB = Save(store, b);
        await holder.ReleaseAsync();
        await first;

        await saveA;
        var lost = async () => await saveB;
        (await lost.Should().ThrowAsync<ConcurrencyException>()).WithMessage($"Instance {target.Id} was changed by another writer (version 2, expected 1).");
        (await store.ReadJournalAsync(target.Id)).Should().HaveCount(2);
    }

    [Fact]
    public async Task Creates_that_arrive_together_store_their_shared_definition_once()
    {
        var store = Open();
        var blocker = (await CreateAsync(store)).Instance;

        using var commits = new CommitCounter(Database.Name);
        await using var holder = await HoldAsync(blocker.Id);
        var first = Save(store, (await store.FindAsync(blocker.Id))!);
        await holder.WaitUntilTheStoreWaitsAsync();
        var creates = Enumerable.Range(0, 8).Select(_ =>
        {
            var instance = TestInstances.New(Time, workflowId: "mdi-readiness");
            return store.CreateAsync(instance, [TestInstances.Append(instance, Time, JournalKinds.InstanceCreated)]).AsTask();
        }).ToList();
        await holder.ReleaseAsync();
        await first;
        await Task.WhenAll(creates);

        commits.WritesPerCommit.Should().Equal(1, 8);
        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.definitions")).Should().Be(2);
        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.instances WHERE workflow_id = 'mdi-readiness'")).Should().Be(8);
    }

    [Fact]
    public async Task A_commit_whose_session_the_server_ends_fails_saying_its_outcome_is_unknown_and_the_next_one_reconnects()
    {
        var store = Open();
        var (created, _) = await CreateAsync(store);
        var loaded = (await store.FindAsync(created.Id))!;

        await using var holder = await HoldAsync(created.Id);
        var save = Save(store, loaded);
        await holder.WaitUntilTheStoreWaitsAsync();
        (await Database.ScalarAsync<bool>($"SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{Database.Name}' AND application_name = 'mdiflow' AND wait_event_type = 'Lock'"))
            .Should().BeTrue();

        var outcome = async () => await save;
        (await outcome.Should().ThrowAsync<StoreException>()).WithMessage(
            $"The connection to the PostgreSQL server of the database '{Database.Name}' * was lost while a save was being committed, so it is not known whether the save was stored (57P01: terminating connection due to administrator command). Read the instance again (mdiflow show ID) before acting on it.");
        await holder.ReleaseAsync();

        var reloaded = (await store.FindAsync(created.Id))!;
        reloaded.Version.Should().Be(1, "the server ended the session before the commit");
        await Save(store, reloaded);
        (await store.FindAsync(created.Id))!.Version.Should().Be(2);
    }

    private Task Save(PostgreSqlWorkflowStore store, WorkflowInstance instance) =>
        store.SaveAsync(instance, [TestInstances.Append(instance, Time, JournalKinds.InstanceResumed)]).AsTask();

    /// <summary>Locks an instance's row from a connection of its own, so that the store's next commit that touches it waits.</summary>
    private Task<RowLock> HoldAsync(InstanceId id) => RowLock.HoldAsync(Database, id);
}
