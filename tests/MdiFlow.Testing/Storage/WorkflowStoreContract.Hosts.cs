using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Testing.Storage;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task An_instance_whose_next_step_must_run_on_a_host_is_found_only_by_that_hosts_worker_whatever_the_case()
    {
        var instance = TestInstances.New(Time, InstanceStatus.Ready);
        instance.Steps[0].Status = StepStatus.Completed;
        instance.Steps[1].Host = "dc01.contoso.com";
        var free = TestInstances.New(Time, InstanceStatus.Ready);
        free.Steps[2].Host = "DC01.contoso.com"; // a later step's host does not hold back the next one
        await Store.CreateAsync(instance, [TestInstances.Append(instance, Time, JournalKinds.InstanceCreated)]);
        await Store.CreateAsync(free, [TestInstances.Append(free, Time, JournalKinds.InstanceCreated)]);
        var now = Time.GetUtcNow();

        (await Store.FindRunnableAsync(now, "DC02.contoso.com", 10)).Select(r => r.Id).Should().Equal(free.Id);
        (await Store.FindRunnableAsync(now, "DC01.CONTOSO.COM", 10)).Select(r => r.Id).Should().BeEquivalentTo([instance.Id, free.Id]);

        var moved = (await Store.FindAsync(instance.Id))!;
        moved.Steps[1].Status = StepStatus.Completed;
        moved.UpdatedAt = Time.GetUtcNow();
        await Store.SaveAsync(moved, [TestInstances.Append(moved, Time, JournalKinds.StepCompleted, "approve")]);

        (await Store.FindRunnableAsync(Time.GetUtcNow(), "DC02.contoso.com", 10)).Select(r => r.Id).Should().Contain(instance.Id, "its next step runs anywhere");
    }
}
