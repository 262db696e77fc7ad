using MdiFlow.Instances;
using MdiFlow.Storage;

namespace MdiFlow.Testing.Storage;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task FindWithJournalTail_returns_the_instance_and_its_last_entry_as_the_two_reads_do()
    {
        var (created, written) = await CreateAsync(InstanceStatus.Waiting);

        var (instance, tail) = await Store.FindWithJournalTailAsync(created.Id);

        instance.Should().NotBeNull();
        InstanceDocument.Serialize(instance!).Should().Be(InstanceDocument.Serialize((await Store.FindAsync(created.Id))!));
        instance!.Version.Should().Be(created.Version);
        tail.Should().Be(await Store.ReadJournalTailAsync(created.Id));
        tail!.Seq.Should().Be(written[^1].Seq);
        tail.Mac.Should().Be(written[^1].Mac);
    }

    [Fact]
    public async Task FindWithJournalTail_of_an_unknown_instance_is_neither()
    {
        var (instance, tail) = await Store.FindWithJournalTailAsync(new InstanceId("01jz0000000000000000000zzz"));

        instance.Should().BeNull();
        tail.Should().BeNull();
    }
}
