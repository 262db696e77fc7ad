using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Testing.Storage;

/// <summary>
/// The behaviour every <see cref="IWorkflowStore"/> promises. A store's test class derives from this,
/// says how to create an empty store, and inherits every fact.
/// </summary>
/// <example><code>public sealed class InMemoryWorkflowStoreTests : WorkflowStoreContract
/// {
///     protected override ValueTask&lt;IWorkflowStore&gt; CreateStoreAsync() => new(new InMemoryWorkflowStore());
/// }</code></example>
public abstract partial class WorkflowStoreContract : IAsyncLifetime
{
    private readonly List<IWorkflowStore> _opened = [];

    /// <summary>The clock of every instance and entry the facts create.</summary>
    protected FakeTimeProvider Time { get; } = new(TestInstances.Start);

    /// <summary>The store under test, empty at the start of each fact.</summary>
    protected IWorkflowStore Store { get; private set; } = null!;

    /// <summary>Creates the store under test, empty. It is disposed after the fact if it is disposable.</summary>
    protected abstract ValueTask<IWorkflowStore> CreateStoreAsync();

    /// <summary>
    /// Another store over the same data as <see cref="Store"/>, as a second process would open it.
    /// By default <see cref="Store"/> itself, for stores that live in one process.
    /// </summary>
    protected virtual ValueTask<IWorkflowStore> OpenPeerStoreAsync() => ValueTask.FromResult(Store);

    /// <inheritdoc />
    public virtual async Task InitializeAsync() => Store = Track(await CreateStoreAsync());

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened.Distinct())
        {
            switch (store)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <summary>Opens a peer store (see <see cref="OpenPeerStoreAsync"/>), disposed after the fact.</summary>
    protected async Task<IWorkflowStore> OpenPeerAsync() => Track(await OpenPeerStoreAsync());

    private IWorkflowStore Track(IWorkflowStore store)
    {
        _opened.Add(store);
        return store;
    }

    /// <summary>Stores a new instance with its creation entry, as the engine does.</summary>
    protected async Task<(WorkflowInstance Instance, List<JournalEntry> Written)> CreateAsync(InstanceStatus status = InstanceStatus.Pending, InstanceId? id = null)
    {
        var instance = TestInstances.New(Time, status, id);
        var entries = new List<JournalEntry> { TestInstances.Append(instance, Time, JournalKinds.InstanceCreated, data: new JsonObject { ["requester"] = instance.Requester }) };
        await Store.CreateAsync(instance, entries);
        return (instance, entries);
    }

    [Fact]
    public async Task Create_then_Find_returns_the_whole_document()
    {
        var (instance, entries) = TestInstances.MidRun(Time);

        await Store.CreateAsync(instance, entries);
        var found = await Store.FindAsync(instance.Id);

        found.Should().NotBeNull();
        InstanceDocument.Serialize(found!).Should().Be(InstanceDocument.Serialize(instance));
        found!.Version.Should().Be(1);
        found.Status.Should().Be(InstanceStatus.Scheduled);
        JsonNode.DeepEquals(found.Definition, instance.Definition).Should().BeTrue();
        JsonNode.DeepEquals(found.Inputs, instance.Inputs).Should().BeTrue();
        found.SecretReferences.Should().Equal(instance.SecretReferences);
        found.Steps.Select(s => (s.Id, s.Uses, s.Status, s.Attempts, s.SeriesStart)).Should().Equal(instance.Steps.Select(s => (s.Id, s.Uses, s.Status, s.Attempts, s.SeriesStart)));
        JsonNode.DeepEquals(found.Steps[0].Output, instance.Steps[0].Output).Should().BeTrue();
        found.Steps[0].EndedAt!.Value.UtcTicks.Should().Be(instance.Steps[0].EndedAt!.Value.UtcTicks);
        found.Steps[1].Gate!.Kind.Should().Be("approval");
        JsonNode.DeepEquals(found.Steps[1].Gate!.Details, instance.Steps[1].Gate!.Details).Should().BeTrue();
        found.Steps[2].Error.Should().BeEquivalentTo(instance.Steps[2].Error);
        found.Lease.Should().Be(instance.Lease);
        found.DueAt!.Value.UtcTicks.Should().Be(instance.DueAt!.Value.UtcTicks);
        found.CreatedAt.UtcTicks.Should().Be(instance.CreatedAt.UtcTicks);
        (found.JournalSeq, found.JournalHead).Should().Be((3, entries[^1].Mac));
    }

    [Fact]
    public async Task Create_sets_the_version_to_1()
    {
        var (instance, _) = await CreateAsync();

        instance.Version.Should().Be(1);
        (await Store.FindAsync(instance.Id))!.Version.Should().Be(1);
    }

    [Fact]
    public async Task Create_with_an_existing_id_fails_with_ConcurrencyException_and_keeps_the_first()
    {
        var (first, written) = await CreateAsync();
        var second = TestInstances.New(Time, InstanceStatus.Running, first.Id, workflowId: "mdi-readiness");
        var secondEntries = new[] { TestInstances.Append(second, Time, JournalKinds.InstanceCreated) };

        var act = async () => await Store.CreateAsync(second, secondEntries);

        await act.Should().ThrowAsync<ConcurrencyException>();
        second.Version.Should().Be(0);
        var found = await Store.FindAsync(first.Id);
        InstanceDocument.Serialize(found!).Should().Be(InstanceDocument.Serialize(first));
        (await Store.ReadJournalAsync(first.Id)).Should().Equal(written);
    }

    [Fact]
    public async Task Save_increments_the_version_and_appends_the_entries()
    {
        var (created, written) = await CreateAsync();
        var loaded = (await Store.FindAsync(created.Id))!;
        loaded.Status = InstanceStatus.Running;
        loaded.UpdatedAt = Time.GetUtcNow();
        loaded.Lease = new Lease("owner-1", "WORKER01", 17, Time.GetUtcNow().AddHours(-1), Time.GetUtcNow().AddMinutes(5));
        loaded.Steps[0].Status = StepStatus.Running;
        loaded.Steps[0].Attempts = 1;
        written.Add(TestInstances.Append(loaded, Time, JournalKinds.InstanceResumed));
        written.Add(TestInstances.Append(loaded, Time, JournalKinds.StepStarted, "download", new JsonObject { ["attempt"] = 1 }));

        await Store.SaveAsync(loaded, written[1..]);

        loaded.Version.Should().Be(2);
        var found = (await Store.FindAsync(created.Id))!;
        found.Version.Should().Be(2);
        InstanceDocument.Serialize(found).Should().Be(InstanceDocument.Serialize(loaded));
        (await Store.ReadJournalAsync(created.Id)).Should().Equal(written);
    }

    [Fact]
    public async Task Save_without_entries_changes_only_the_document()
    {
        var (created, written) = await CreateAsync();
        var loaded = (await Store.FindAsync(created.Id))!;
        loaded.Lease = new Lease("owner-1", "WORKER01", 17, Time.GetUtcNow().AddHours(-1), Time.GetUtcNow().AddMinutes(10));

        await Store.SaveAsync(loaded, []);

        (await Store.FindAsync(created.Id))!.Lease.Should().Be(loaded.Lease);
        (await Store.ReadJournalAsync(created.Id)).Should().Equal(written);
    }

    [Fact]
    public async Task A_lease_without_a_process_start_time_round_trips()
    {
        var (created, _) = await CreateAsync();
        var loaded = (await Store.FindAsync(created.Id))!;
        loaded.Lease = new Lease("owner-1", "WORKER01", 17, ProcessStartedAt: null, Time.GetUtcNow().AddMinutes(5));

        await Store.SaveAsync(loaded, []);

        (await Store.FindAsync(created.Id))!.Lease.Should().Be(loaded.Lease);
    }

    [Fact]
    public async Task Save_with_a_stale_version_fails_and_changes_neither_the_document_nor_the_journal()
    {
        var (created, written) = await CreateAsync();
        var winner = (await Store.FindAsync(created.Id))!;
        var loser = (await Store.FindAsync(created.Id))!;
        winner.Status = InstanceStatus.Running;
        written.Add(TestInstances.Append(winner, Time, JournalKinds.InstanceResumed));
        await Store.SaveAsync(winner, written[1..]);
        loser.Status = InstanceStatus.Cancelled;
        loser.Steps[0].SkipReason = "the loser's change";
        var loserEntry = TestInstances.Append(loser, Time, JournalKinds.StepSkipped, "download");

        var act = async () => await Store.SaveAsync(loser, [loserEntry]);

        await act.Should().ThrowAsync<ConcurrencyException>();
        loser.Version.Should().Be(1);
        var found = (await Store.FindAsync(created.Id))!;
        found.Version.Should().Be(2);
        InstanceDocument.Serialize(found).Should().Be(InstanceDocument.Serialize(winner));
        (await Store.ReadJournalAsync(created.Id)).Should().Equal(written);
        (await Store.ListAsync(new InstanceQuery())).Single().Status.Should().Be(InstanceStatus.Running);
    }

    [Fact]
    public async Task A_writer_that_lost_may_reload_and_save_again()
    {
        var (created, _) = await CreateAsync();
        var winner = (await Store.FindAsync(created.Id))!;
        var loser = (await Store.FindAsync(created.Id))!;
        await Store.SaveAsync(winner, [TestInstances.Append(winner, Time, JournalKinds.InstanceResumed)]);
        var stale = async () => await Store.SaveAsync(loser, [TestInstances.Append(loser, Time, JournalKinds.InstanceResumed)]);
        await stale.Should().ThrowAsync<ConcurrencyException>();

        var reloaded = (await Store.FindAsync(created.Id))!;
        reloaded.Status = InstanceStatus.Cancelled;
        await Store.SaveAsync(reloaded, [TestInstances.Append(reloaded, Time, JournalKinds.InstanceCompleted)]);

        reloaded.Version.Should().Be(3);
        var journal = await Store.ReadJournalAsync(created.Id);
        journal.Select(e => e.Seq).Should().Equal(1, 2, 3);
        JournalChain.Verify(TestInstances.Key, created.Id, journal).Should().BeNull();
    }

    [Fact]
    public async Task Save_of_an_instance_that_was_never_created_fails_with_ConcurrencyException()
    {
        var instance = TestInstances.New(Time);
        instance.Version = 1;

        var act = async () => await Store.SaveAsync(instance, [TestInstances.Append(instance, Time, JournalKinds.InstanceResumed)]);

        await act.Should().ThrowAsync<ConcurrencyException>();
        instance.Version.Should().Be(1);
        (await Store.FindAsync(instance.Id)).Should().BeNull();
        (await Store.ReadJournalAsync(instance.Id)).Should().BeEmpty();
    }

    [Fact]
    public async Task Journal_entries_come_back_exactly_as_written_and_the_chain_verifies()
    {
        var (created, written) = await CreateAsync();
        var instance = (await Store.FindAsync(created.Id))!;
        written.Add(TestInstances.Append(instance, Time, JournalKinds.StepStarted, "download", new JsonObject { ["attempt"] = 1, ["recovery"] = false }));
        written.Add(TestInstances.Append(instance, Time, JournalKinds.StepCompleted, "download", new JsonObject { ["note"] = "Zoë's \"quoted\"\nline, tab\t, emoji 🚀, NUL-free", ["big"] = 9_007_199_254_740_993L, ["ratio"] = 0.1 }, Actor.Engine));
        await Store.SaveAsync(instance, written[1..]);
        Time.Advance(TimeSpan.FromTicks(1));
        written.Add(TestInstances.Append(instance, Time, JournalKinds.InstanceWaiting));
        written.Add(TestInstances.Append(instance, Time, "approval.granted", "approve", new JsonObject { ["comment"] = "" }, new Actor("alice", ActorSources.Asserted)));
        await Store.SaveAsync(instance, written[3..]);

        var journal = await Store.ReadJournalAsync(created.Id);

        journal.Should().Equal(written);
        journal.Select(e => (e.At.UtcTicks, e.At.Offset)).Should().Equal(written.Select(e => (e.At.UtcTicks, TimeSpan.Zero)));
        journal.Select(e => e.Seq).Should().Equal(1, 2, 3, 4, 5);
        journal[3].Step.Should().BeNull();
        journal[3].Data.Should().BeNull();
        JournalChain.Verify(TestInstances.Key, created.Id, journal).Should().BeNull();
        (await Store.FindAsync(created.Id))!.JournalHead.Should().Be(journal[^1].Mac);
    }

    [Fact]
    public async Task Journals_of_different_instances_are_kept_apart()
    {
        var (first, firstWritten) = await CreateAsync();
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var (second, secondWritten) = await CreateAsync();

        (await Store.ReadJournalAsync(first.Id)).Should().Equal(firstWritten);
        (await Store.ReadJournalAsync(second.Id)).Should().Equal(secondWritten);
    }

    [Fact]
    public async Task Find_of_an_unknown_id_returns_null_and_its_journal_is_empty()
    {
        await CreateAsync();
        var unknown = new InstanceId("01jz0000000000000000000000");

        (await Store.FindAsync(unknown)).Should().BeNull();
        (await Store.ReadJournalAsync(unknown)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_found_instance_is_a_copy_that_the_caller_may_change()
    {
        var (created, _) = await CreateAsync();
        var stored = InstanceDocument.Serialize((await Store.FindAsync(created.Id))!);

        var found = (await Store.FindAsync(created.Id))!;
        found.Status = InstanceStatus.Cancelled;
        found.Steps[0].Status = StepStatus.Skipped;
        found.Inputs["workspace"] = "changed";
        created.Steps[1].Status = StepStatus.Failed;

        InstanceDocument.Serialize((await Store.FindAsync(created.Id))!).Should().Be(stored);
    }
}
