using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Sqlite.Schema;
using MdiFlow.Sqlite.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing;
using MdiFlow.Testing.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Sqlite.Tests;

/// <summary>Group commit: saves that arrive together share one durable commit, and each still stands or fails alone.</summary>
public sealed class StoreWorkerTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(TestInstances.Start);

    private string StorePath => _directory.Combine("mdiflow.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Saves_of_one_instance_alone_are_one_commit_each()
    {
        using var store = new SqliteWorkflowStore(StorePath);
        var instance = await CreateAsync(store);
        using var commits = new CommitCounter(StorePath);

        for (var i = 0; i < 5; i++)
        {
            await store.SaveAsync(instance, [TestInstances.Append(instance, _time, JournalKinds.StepStarted, "download")]);
        }

        commits.Count.Should().Be(5);
        instance.Version.Should().Be(6);
    }

    [Fact]
    public async Task Concurrent_saves_of_different_instances_share_commits()
    {
        using var store = new SqliteWorkflowStore(StorePath);
        var instances = new List<WorkflowInstance>();
        for (var i = 0; i < 200; i++)
        {
            instances.Add(await CreateAsync(store));
        }

        using var commits = new CommitCounter(StorePath);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saves = instances.Select(instance => Task.Run(async () =>
        {
            var entry = TestInstances.Entry(instance, _time.GetUtcNow(), JournalKinds.InstanceResumed);
            await start.Task;
            await store.SaveAsync(instance, [entry]);
        })).ToList();
        start.SetResult();
        await Task.WhenAll(saves);

        commits.Count.Should().BeInRange(1, 199, "saves waiting at the same moment are committed together");
        using var raw = StoreFiles.OpenRaw(StorePath, SqliteOpenMode.ReadOnly);
        raw.Scalar<long>("SELECT count(*) FROM instances WHERE version = 2").Should().Be(200);
        raw.Scalar<long>("SELECT count(*) FROM journal").Should().Be(400);
    }

    [Fact]
    public async Task A_commit_that_fails_fails_every_write_waiting_for_it_and_writes_nothing()
    {
        using var store = new SqliteWorkflowStore(new SqliteStoreOptions { Path = StorePath, BusyTimeout = TimeSpan.FromMilliseconds(100) });
        var instances = new List<WorkflowInstance>();
        for (var i = 0; i < 8; i++)
        {
            instances.Add(await CreateAsync(store));
        }

        using var locker = StoreFiles.OpenRaw(StorePath);
        locker.Execute("BEGIN EXCLUSIVE;");
        var saves = instances.Select(instance => Task.Run(async () =>
        {
            try
            {
                await store.SaveAsync(instance, [TestInstances.Entry(instance, _time.GetUtcNow(), JournalKinds.InstanceResumed)]);
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        })).ToList();
        var errors = await Task.WhenAll(saves);
        locker.Execute("ROLLBACK;");

        errors.Should().OnlyContain(e => e is StoreException && e.Message.Contains("is locked by another process", StringComparison.Ordinal));
        instances.Should().OnlyContain(i => i.Version == 1);
        using var raw = StoreFiles.OpenRaw(StorePath, SqliteOpenMode.ReadOnly);
        raw.Scalar<long>("SELECT count(*) FROM instances WHERE version = 1").Should().Be(8);
        raw.Scalar<long>("SELECT count(*) FROM journal").Should().Be(8);
    }

    [Fact]
    public async Task A_definition_is_stored_once_however_many_instances_use_it()
    {
        using (var store = new SqliteWorkflowStore(StorePath))
        {
            await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => CreateAsync(store))));
            await CreateAsync(store, workflowId: "mdi-readiness");
        }

        using var raw = StoreFiles.OpenRaw(StorePath, SqliteOpenMode.ReadOnly);
        raw.Scalar<long>("SELECT count(*) FROM definitions").Should().Be(2);
        raw.Scalar<long>("SELECT count(*) FROM instances WHERE instr(document, '\"definition\"') > 0").Should().Be(0);
        raw.Scalar<long>("SELECT count(*) FROM instances i JOIN definitions d ON d.hash = i.definition_hash").Should().Be(21);
    }

    [Fact]
    public async Task A_store_of_schema_1_is_migrated_with_its_definitions_moved_out_of_the_documents()
    {
        var instance = TestInstances.New(_time, InstanceStatus.Waiting);
        var entry = TestInstances.Append(instance, _time, JournalKinds.InstanceCreated);
        var v1Document = JsonNode.Parse(InstanceDocument.Serialize(instance))!.AsObject();
        v1Document["definition"] = instance.Definition.DeepClone();
        v1Document["version"] = 1;
        using (var raw = StoreFiles.OpenRaw(StorePath, SqliteOpenMode.ReadWriteCreate))
        {
            raw.Execute("PRAGMA journal_mode = WAL;");
            raw.Execute(StoreSchema.Migrations[0].Sql);
            raw.Execute($"PRAGMA application_id = {StoreSchema.ApplicationId}; PRAGMA user_version = 1;");
            using var insert = raw.CreateCommand();
            insert.CommandText = """
                INSERT INTO instances (id, workflow_id, status, version, created_at, updated_at, due_at, document)
                VALUES ($id, 'mdi-sensor-deployment', 'waiting', 1, '2025-06-02T09:15:30.1234567+00:00', '2025-06-02T09:15:30.1234567+00:00', NULL, $document);
                INSERT INTO journal (instance_id, seq, at, kind, actor, actor_source, step, data, previous_hash, hash)
                VALUES ($id, 1, '2025-06-02T09:15:30.1234567+00:00', $kind, $actor, 'os', NULL, NULL, '', $hash);
                """;
            insert.Parameters.AddWithValue("$id", instance.Id.Value);
            insert.Parameters.AddWithValue("$document", v1Document.ToJsonString());
            insert.Parameters.AddWithValue("$kind", entry.Kind);
            insert.Parameters.AddWithValue("$actor", entry.Actor);
            insert.Parameters.AddWithValue("$hash", entry.Mac);
            insert.ExecuteNonQuery();
        }

        using (var store = new SqliteWorkflowStore(StorePath))
        {
            var found = (await store.FindAsync(instance.Id))!;

            JsonNode.DeepEquals(found.Definition, instance.Definition).Should().BeTrue();
            (found.Status, found.Version, found.DefinitionHash).Should().Be((InstanceStatus.Waiting, 1, instance.DefinitionHash));
            found.Status = InstanceStatus.Ready;
            await store.SaveAsync(found, []);
            (await store.FindAsync(instance.Id))!.Version.Should().Be(2);
        }

        using var after = StoreFiles.OpenRaw(StorePath, SqliteOpenMode.ReadOnly);
        after.Scalar<long>("PRAGMA user_version").Should().Be(StoreSchema.CurrentVersion);
        after.Scalar<long>("SELECT count(*) FROM definitions").Should().Be(1);
        after.Scalar<string>("SELECT definition_hash FROM instances").Should().Be(instance.DefinitionHash);
        after.Scalar<long>("SELECT instr(document, '\"definition\"') FROM instances").Should().Be(0);
    }

    [Theory]
    [InlineData("SELECT id FROM instances WHERE status = 'waiting' ORDER BY created_at DESC, id DESC LIMIT 100", "ix_instances_status_created_at")]
    [InlineData("SELECT id FROM instances ORDER BY created_at DESC, id DESC LIMIT 100", "ix_instances_created_at")]
    public async Task Listings_read_an_index_in_order_and_sort_nothing(string query, string index)
    {
        using (var store = new SqliteWorkflowStore(StorePath))
        {
            await store.OpenAsync();
        }

        using var raw = StoreFiles.OpenRaw(StorePath, SqliteOpenMode.ReadOnly);
        using var explain = raw.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + query;
        var plan = new List<string>();
        using (var reader = explain.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        plan.Should().ContainSingle(p => p.Contains(index, StringComparison.Ordinal));
        plan.Should().NotContain(p => p.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    private async Task<WorkflowInstance> CreateAsync(SqliteWorkflowStore store, string workflowId = "mdi-sensor-deployment")
    {
        var instance = TestInstances.New(_time, workflowId: workflowId);
        await store.CreateAsync(instance, [TestInstances.Entry(instance, _time.GetUtcNow(), JournalKinds.InstanceCreated)]);
        return instance;
    }

    /// <summary>Counts the commits the store reports on the <c>MdiFlow</c> meter (tests in parallel use other files, so the store is told apart by its path).</summary>
    private sealed class CommitCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public CommitCounter(string path)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MdiFlowTelemetry.Name && instrument.Name == "mdiflow.store.commits")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "mdiflow.store.path" && Equals(tag.Value, path))
                    {
                        Interlocked.Add(ref _count, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
