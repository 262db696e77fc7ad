using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.PostgreSql.WakeUps;
using MdiFlow.Storage;
using MdiFlow.Testing.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests.Writing;

/// <summary>Claims that never queue behind another claimer, the fencing token in its column, and the wake-up hints a commit sends.</summary>
public sealed class WriteStatementsTests : DatabaseTest
{
    private static void Claim(WorkflowInstance instance, string owner)
    {
        instance.LeaseToken++;
        instance.Status = InstanceStatus.Running;
        instance.Lease = new Lease(owner, "DC01", 4242, null, TestInstances.Start.AddHours(1), instance.LeaseToken);
    }

    [Fact]
    public async Task A_claim_of_an_instance_another_claimer_holds_locked_is_refused_at_once_without_waiting()
    {
        var store = Open();
        var (created, _) = await CreateAsync(store, InstanceStatus.Ready);
        var claim = (await store.FindAsync(created.Id))!;
        Claim(claim, "worker-b");
        await using var other = await RowLock.HoldAsync(Database, created.Id);

        // No release of the lock: had the claim waited for it, this would not return.
        var save = async () => await store.SaveAsync(claim, [TestInstances.Append(claim, Time, JournalKinds.InstanceResumed)]);

        (await save.Should().ThrowAsync<ConcurrencyException>()).Which.Message.Should().Contain("was changed by another writer at the same moment");
        await other.ReleaseAsync();
        var again = (await store.FindAsync(created.Id))!;
        Claim(again, "worker-b");
        await store.SaveAsync(again, []);
        (await Database.ScalarAsync<long>($"SELECT lease_token FROM mdiflow.instances WHERE id = '{created.Id}'")).Should().Be(1);
    }

    [Fact]
    public async Task A_save_that_is_not_a_claim_waits_for_a_concurrent_writer_as_usual()
    {
        var store = Open();
        var (created, _) = await CreateAsync(store, InstanceStatus.Ready);
        var person = (await store.FindAsync(created.Id))!;
        person.Inputs["note"] = "checked";
        await using var other = await RowLock.HoldAsync(Database, created.Id);

        var save = store.SaveAsync(person, []).AsTask();
        await other.WaitUntilTheStoreWaitsAsync();
        await other.ReleaseAsync();
        await save;

        (await store.FindAsync(created.Id))!.Inputs["note"]!.GetValue<string>().Should().Be("checked");
    }

    [Fact]
    public async Task A_commit_that_leaves_work_for_a_worker_notifies_its_host_with_the_earliest_wake_time()
    {
        var store = Open();
        await store.OpenAsync();
        await using var listener = await Database.OpenAsync();
        var received = new List<string>();
        listener.Notification += (_, e) =>
        {
            lock (received)
            {
                received.Add(e.Payload);
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {WakePayload.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var (ready, _) = await CreateAsync(store, InstanceStatus.Ready);
        await CreateAsync(store, InstanceStatus.Completed);
        var running = (await store.FindAsync(ready.Id))!;
        Claim(running, "worker-a");
        await store.SaveAsync(running, []);

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await listener.WaitAsync(limit.Token);
        await DrainAsync(listener);

        received.Should().Equal($" {ready.UpdatedAt.UtcTicks}");
        WakePayload.Parse(received[0]).Should().Be(("", ready.UpdatedAt));
    }

    /// <summary>Takes notifications already delivered (a statement on the connection reads them), without waiting for more.</summary>
    private static async Task DrainAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync();
    }
}
