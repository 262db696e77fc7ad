using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Testing.Storage;

public abstract partial class WorkflowStoreContract
{
    /// <summary>Another process claims a running instance: a new lease with the next fencing token, saved like any change.</summary>
    private static void ClaimAs(WorkflowInstance instance, string owner, DateTimeOffset expiresAt)
    {
        instance.LeaseToken++;
        instance.Status = InstanceStatus.Running;
        instance.Lease = new Lease(owner, owner.ToUpperInvariant(), 4242, null, expiresAt, instance.LeaseToken);
    }

    [Fact]
    public async Task A_save_whose_lease_was_taken_over_is_refused_as_lease_lost_and_changes_nothing()
    {
        var created = TestInstances.New(Time);
        ClaimAs(created, "worker-a", Time.GetUtcNow().AddMinutes(5));
        await Store.CreateAsync(created, [TestInstances.Append(created, Time, JournalKinds.InstanceCreated)]);
        var peer = await OpenPeerAsync();
        var paused = (await Store.FindAsync(created.Id))!;
        var claimer = (await peer.FindAsync(created.Id))!;
        ClaimAs(claimer, "worker-b", Time.GetUtcNow().AddMinutes(10));
        await peer.SaveAsync(claimer, [TestInstances.Append(claimer, Time, JournalKinds.InstanceRecovered)]);

        paused.Steps[0].Status = StepStatus.Completed;
        var save = async () => await Store.SaveAsync(paused, [TestInstances.Append(paused, Time, JournalKinds.StepCompleted, "download")]);

        var refused = (await save.Should().ThrowAsync<ConcurrencyException>()).Which;
        refused.LeaseLost.Should().BeTrue(refused.Message);
        refused.Message.Should().Contain($"Instance {created.Id} was claimed by another process after this one's lease (fencing token 2; this save carries 1)");
        var stored = (await Store.FindAsync(created.Id))!;
        (stored.Version, stored.LeaseToken, stored.Lease!.Owner, stored.Steps[0].Status).Should().Be((2, 2, "worker-b", StepStatus.Pending));
        (await Store.ReadJournalAsync(created.Id)).Select(e => e.Kind).Should().Equal(JournalKinds.InstanceCreated, JournalKinds.InstanceRecovered);
    }

    [Fact]
    public async Task A_stale_save_without_a_lease_is_an_ordinary_conflict_not_a_lost_lease()
    {
        var created = TestInstances.New(Time);
        ClaimAs(created, "worker-a", Time.GetUtcNow().AddMinutes(5));
        await Store.CreateAsync(created, [TestInstances.Append(created, Time, JournalKinds.InstanceCreated)]);
        var person = (await Store.FindAsync(created.Id))!;
        person.Lease = null;
        var holder = (await Store.FindAsync(created.Id))!;
        holder.UpdatedAt = Time.GetUtcNow();
        await Store.SaveAsync(holder, []);

        var save = async () => await Store.SaveAsync(person, []);

        (await save.Should().ThrowAsync<ConcurrencyException>()).Which.LeaseLost.Should().BeFalse();
    }
}
