using MdiFlow.Activities;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Sqlite.Schema;
using MdiFlow.Sqlite.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing;
using MdiFlow.Testing.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Sqlite.Tests.Schema;

/// <summary>Schema 4: wake times beside the documents, and the index a worker reads.</summary>
public sealed class WakeIndexMigrationTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(TestInstances.Start);

    private string StorePath => _directory.Combine("mdiflow.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_store_of_schema_3_gets_the_wake_time_of_every_instance_and_keeps_its_seals()
    {
        var t0 = _time.GetUtcNow();
        WorkflowInstance scheduled, waiting, running, completed;
        using (var store = new SqliteWorkflowStore(StorePath))
        {
            scheduled = await CreateAsync(store, InstanceStatus.Scheduled, i => i.DueAt = t0.AddMinutes(3));
            waiting = await CreateAsync(store, InstanceStatus.Waiting, i =>
            {
                i.Steps[1].Status = StepStatus.Waiting;
                i.Steps[1].Gate = new GateRequest(GateKinds.Approval, new ApprovalGate { Approvers = ["group:CAB"], ExpiresAt = t0.AddMinutes(2) }.ToJson());
            });
            running = await CreateAsync(store, InstanceStatus.Running, i => i.Lease = new Lease("owner", "DC01", 77, null, t0.AddMinutes(1)));
            completed = await CreateAsync(store, InstanceStatus.Completed, i => i.DueAt = t0);
        }

        DowngradeToSchema3();

        using (var store = new SqliteWorkflowStore(StorePath))
        {
            (await store.FindRunnableAsync(t0.AddHours(1), "DC01", 10)).Should().Equal(
                new RunnableInstance(running.Id, t0.AddMinutes(1), WakeReason.LeaseExpiry),
                new RunnableInstance(waiting.Id, t0.AddMinutes(2), WakeReason.GateExpiry),
                new RunnableInstance(scheduled.Id, t0.AddMinutes(3), WakeReason.RetryDue));
            foreach (var instance in new[] { scheduled, waiting, running, completed })
            {
                (await store.FindAsync(instance.Id))!.Status.Should().Be(instance.Status, "the documents and their seals are untouched");
            }
        }

        using var raw = StoreFiles.OpenRaw(StorePath, SqliteOpenMode.ReadOnly);
        raw.Scalar<long>("PRAGMA user_version").Should().Be(StoreSchema.CurrentVersion);
        raw.Scalar<long>("SELECT count(*) FROM instances WHERE wake_at IS NULL").Should().Be(1);
    }

    [Fact]
    public async Task The_worker_query_reads_only_the_wake_index_in_order()
    {
        using (var store = new SqliteWorkflowStore(StorePath))
        {
            await store.OpenAsync();
        }

        var plan = Plan(InstanceCommands.RunnableQuery);

        plan.Should().ContainSingle().Which.Should().Be("SEARCH instances USING COVERING INDEX ix_instances_wake_at (wake_at>? AND wake_at<?)");
    }

    [Fact]
    public async Task Finished_instances_are_not_in_the_wake_index_at_all()
    {
        var t0 = _time.GetUtcNow();
        using (var store = new SqliteWorkflowStore(StorePath))
        {
            for (var i = 0; i < 50; i++)
            {
                await CreateAsync(store, i % 2 == 0 ? InstanceStatus.Completed : InstanceStatus.Failed, _ => { });
            }

            await CreateAsync(store, InstanceStatus.Ready, _ => { });
        }

        using var raw = StoreFiles.OpenRaw(StorePath, SqliteOpenMode.ReadOnly);
        raw.Scalar<long>("SELECT count(*) FROM instances INDEXED BY ix_instances_wake_at WHERE wake_at IS NOT NULL").Should().Be(1);
        raw.Scalar<string>("SELECT wake_at FROM instances WHERE wake_at IS NOT NULL").Should().Be(ColumnText.FromTime(t0));
    }

    private List<string> Plan(string query)
    {
        using var raw = StoreFiles.OpenRaw(StorePath, SqliteOpenMode.ReadOnly);
        using var explain = raw.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + query;
        explain.Parameters.AddWithValue("$now", ColumnText.FromTime(_time.GetUtcNow()));
        explain.Parameters.AddWithValue("$host", "DC01");
        explain.Parameters.AddWithValue("$limit", 100);
        var plan = new List<string>();
        using var reader = explain.ExecuteReader();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    /// <summary>Makes the file what schema 3 wrote: no wake columns, no wake index, user_version 3.</summary>
    private void DowngradeToSchema3()
    {
        using var raw = StoreFiles.OpenRaw(StorePath);
        raw.Execute("""
            DROP TABLE worker_hosts;
            DROP INDEX ix_instances_wake_at;
            ALTER TABLE instances DROP COLUMN wake_at;
            ALTER TABLE instances DROP COLUMN required_host;
            PRAGMA user_version = 3;
            """);
    }

    private async Task<WorkflowInstance> CreateAsync(SqliteWorkflowStore store, InstanceStatus status, Action<WorkflowInstance> shape)
    {
        var instance = TestInstances.New(_time, status);
        instance.UpdatedAt = _time.GetUtcNow();
        shape(instance);
        await store.CreateAsync(instance, [TestInstances.Entry(instance, _time.GetUtcNow(), JournalKinds.InstanceCreated)]);
        return instance;
    }
}
