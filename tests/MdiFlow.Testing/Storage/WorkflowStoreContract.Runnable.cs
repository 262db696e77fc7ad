using MdiFlow.Activities;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Testing.Storage;

public abstract partial class WorkflowStoreContract
{
    private const string WorkerHost = "WORKER01";

    [Fact]
    public async Task FindRunnable_returns_what_is_due_oldest_first_with_why()
    {
        var t0 = Time.GetUtcNow();
        var pending = await CreateRunnableAsync(InstanceStatus.Pending, t0);
        var scheduled = await CreateRunnableAsync(InstanceStatus.Scheduled, t0, dueAt: t0.AddSeconds(10));
        var gate = await CreateRunnableAsync(InstanceStatus.Waiting, t0, gateExpiresAt: t0.AddSeconds(20));
        var running = await CreateRunnableAsync(InstanceStatus.Running, t0, leaseExpiresAt: t0.AddSeconds(30));
        var ready = await CreateRunnableAsync(InstanceStatus.Ready, t0.AddSeconds(40));

        var all = await Store.FindRunnableAsync(t0.AddMinutes(1), WorkerHost, 100);

        all.Should().Equal(
            new RunnableInstance(pending.Id, t0, WakeReason.Ready),
            new RunnableInstance(scheduled.Id, t0.AddSeconds(10), WakeReason.RetryDue),
            new RunnableInstance(gate.Id, t0.AddSeconds(20), WakeReason.GateExpiry),
            new RunnableInstance(running.Id, t0.AddSeconds(30), WakeReason.LeaseExpiry),
            new RunnableInstance(ready.Id, t0.AddSeconds(40), WakeReason.Ready));
        (await Store.FindRunnableAsync(t0.AddSeconds(15), WorkerHost, 100)).Select(r => r.Id).Should().Equal(pending.Id, scheduled.Id);
        (await Store.FindRunnableAsync(t0.AddSeconds(10), WorkerHost, 100)).Select(r => r.Id).Should().Equal([pending.Id, scheduled.Id], "a wake time equal to now is due");
        (await Store.FindRunnableAsync(t0.AddTicks(-1), WorkerHost, 100)).Should().BeEmpty();
    }

    [Fact]
    public async Task FindRunnable_never_returns_finished_failed_or_gate_waiting_instances_without_an_expiry()
    {
        var t0 = Time.GetUtcNow();
        foreach (var status in new[] { InstanceStatus.Completed, InstanceStatus.Rejected, InstanceStatus.Cancelled, InstanceStatus.Failed })
        {
            await CreateRunnableAsync(status, t0, dueAt: t0, leaseExpiresAt: t0);
        }

        await CreateRunnableAsync(InstanceStatus.Waiting, t0);

        (await Store.FindRunnableAsync(t0.AddYears(1), WorkerHost, 100)).Should().BeEmpty();
    }

    [Fact]
    public async Task FindRunnable_stops_at_the_limit_and_orders_equal_wake_times_by_id()
    {
        var t0 = Time.GetUtcNow();
        var ids = new[] { "01jz00000000000000000000cc", "01jz00000000000000000000aa", "01jz00000000000000000000bb", "01jz00000000000000000000dd" };
        foreach (var id in ids)
        {
            await CreateRunnableAsync(InstanceStatus.Ready, t0, id: new InstanceId(id));
        }

        (await Store.FindRunnableAsync(t0, WorkerHost, 3)).Select(r => r.Id.Value).Should().Equal(ids.Order(StringComparer.Ordinal).Take(3));
        (await Store.FindRunnableAsync(t0, WorkerHost, 0)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_save_moves_the_wake_time_in_the_same_commit_and_a_finished_instance_leaves_the_index()
    {
        var peer = await OpenPeerAsync();
        var t0 = Time.GetUtcNow();
        var instance = await CreateRunnableAsync(InstanceStatus.Scheduled, t0, dueAt: t0.AddMinutes(10));
        (await peer.FindRunnableAsync(t0.AddMinutes(1), WorkerHost, 10)).Should().BeEmpty();

        instance.DueAt = t0.AddSeconds(30);
        await Store.SaveAsync(instance, [TestInstances.Entry(instance, t0, JournalKinds.StepFailed)]);
        (await peer.FindRunnableAsync(t0.AddMinutes(1), WorkerHost, 10)).Should().Equal(new RunnableInstance(instance.Id, t0.AddSeconds(30), WakeReason.RetryDue));

        instance.Status = InstanceStatus.Running;
        instance.DueAt = null;
        instance.Lease = new Lease("owner-1", WorkerHost, 4242, null, t0.AddMinutes(5));
        await Store.SaveAsync(instance, []);
        (await peer.FindRunnableAsync(t0.AddMinutes(1), WorkerHost, 10)).Should().BeEmpty("a live lease is not due");
        (await peer.FindRunnableAsync(t0.AddMinutes(5), WorkerHost, 10)).Should().Equal(new RunnableInstance(instance.Id, t0.AddMinutes(5), WakeReason.LeaseExpiry));

        instance.Status = InstanceStatus.Completed;
        instance.Lease = null;
        await Store.SaveAsync(instance, []);
        (await peer.FindRunnableAsync(t0.AddYears(1), WorkerHost, 10)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_refused_save_leaves_the_wake_time_as_it_was()
    {
        var t0 = Time.GetUtcNow();
        var instance = await CreateRunnableAsync(InstanceStatus.Scheduled, t0, dueAt: t0.AddSeconds(5));
        var stale = (await Store.FindAsync(instance.Id))!;
        instance.DueAt = t0.AddHours(1);
        await Store.SaveAsync(instance, []);

        stale.Status = InstanceStatus.Ready;
        stale.UpdatedAt = t0;
        await Store.Invoking(async s => await s.SaveAsync(stale, [])).Should().ThrowAsync<ConcurrencyException>();

        (await Store.FindRunnableAsync(t0.AddMinutes(1), WorkerHost, 10)).Should().BeEmpty();
        (await Store.FindRunnableAsync(t0.AddHours(1), WorkerHost, 10)).Should().Equal(new RunnableInstance(instance.Id, t0.AddHours(1), WakeReason.RetryDue));
    }

    [Fact]
    public async Task An_instance_that_needs_no_particular_host_is_found_by_every_host()
    {
        var t0 = Time.GetUtcNow();
        var instance = await CreateRunnableAsync(InstanceStatus.Ready, t0);

        foreach (var host in new[] { WorkerHost, "dc02.contoso.com", "" })
        {
            (await Store.FindRunnableAsync(t0, host, 10)).Select(r => r.Id).Should().Equal([instance.Id], host);
        }
    }

    [Fact]
    public async Task Wake_times_keep_every_tick_and_compare_as_instants_whatever_their_offset()
    {
        var t0 = Time.GetUtcNow();
        var early = await CreateRunnableAsync(InstanceStatus.Scheduled, t0, dueAt: new DateTimeOffset(t0.UtcDateTime.AddTicks(1)).ToOffset(TimeSpan.FromHours(2)));
        var later = await CreateRunnableAsync(InstanceStatus.Scheduled, t0, dueAt: new DateTimeOffset(t0.UtcDateTime.AddTicks(2)).ToOffset(TimeSpan.FromHours(-5)));

        (await Store.FindRunnableAsync(t0, WorkerHost, 10)).Should().BeEmpty();
        (await Store.FindRunnableAsync(t0.AddTicks(1).ToOffset(TimeSpan.FromHours(9)), WorkerHost, 10)).Select(r => r.Id).Should().Equal(early.Id);
        var both = await Store.FindRunnableAsync(t0.AddTicks(2), WorkerHost, 10);
        both.Select(r => (r.Id, r.WakeAt.UtcTicks)).Should().Equal((early.Id, t0.UtcTicks + 1), (later.Id, t0.UtcTicks + 2));
    }

    /// <summary>Stores an instance of <paramref name="status"/> last changed at <paramref name="updatedAt"/>, with the due time, gate expiry and lease given.</summary>
    private async Task<WorkflowInstance> CreateRunnableAsync(
        InstanceStatus status,
        DateTimeOffset updatedAt,
        InstanceId? id = null,
        DateTimeOffset? dueAt = null,
        DateTimeOffset? gateExpiresAt = null,
        DateTimeOffset? leaseExpiresAt = null)
    {
        var instance = TestInstances.New(Time, status, id);
        instance.UpdatedAt = updatedAt;
        instance.DueAt = dueAt;
        if (status == InstanceStatus.Waiting)
        {
            var approval = new ApprovalGate { Approvers = ["group:CAB"], ExpiresAfter = TimeSpan.FromHours(1), ExpiresAt = gateExpiresAt };
            instance.Steps[1].Status = StepStatus.Waiting;
            instance.Steps[1].Gate = new GateRequest(GateKinds.Approval, approval.ToJson());
        }

        if (leaseExpiresAt is { } expires)
        {
            instance.Lease = new Lease("owner-7f3a", WorkerHost, 4242, null, expires);
        }

        await Store.CreateAsync(instance, [TestInstances.Entry(instance, updatedAt, JournalKinds.InstanceCreated)]);
        return instance;
    }
}
