using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Testing.Storage;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task List_of_an_empty_store_is_empty()
    {
        (await Store.ListAsync(new InstanceQuery())).Should().BeEmpty();
    }

    [Fact]
    public async Task List_returns_instances_newest_first()
    {
        var created = new List<WorkflowInstance>();
        foreach (var status in new[] { InstanceStatus.Completed, InstanceStatus.Waiting, InstanceStatus.Failed, InstanceStatus.Running })
        {
            created.Add((await CreateAsync(status)).Instance);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var list = await Store.ListAsync(new InstanceQuery());

        list.Select(s => s.InstanceId).Should().Equal(created.Select(i => i.Id).Reverse());
        list[0].Should().Be(new InstanceSummary(created[3].Id, "mdi-sensor-deployment", InstanceStatus.Running, created[3].CreatedAt, created[3].UpdatedAt));
    }

    [Fact]
    public async Task List_orders_instances_created_at_the_same_time_by_id_descending()
    {
        var ids = new[] { "01jz00000000000000000000bb", "01jz00000000000000000000aa", "01jz00000000000000000000cc" };
        var instances = ids.Select(id => TestInstances.New(Time, id: new InstanceId(id))).ToList();
        foreach (var instance in instances)
        {
            await Store.CreateAsync(instance, [TestInstances.Append(instance, Time, JournalKinds.InstanceCreated)]);
        }

        var list = await Store.ListAsync(new InstanceQuery());

        list.Select(s => s.InstanceId.Value).Should().Equal(ids.Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public async Task List_filters_by_status()
    {
        var waiting = new List<InstanceId>();
        foreach (var status in new[] { InstanceStatus.Waiting, InstanceStatus.Completed, InstanceStatus.Waiting, InstanceStatus.Failed })
        {
            var (instance, _) = await CreateAsync(status);
            if (status == InstanceStatus.Waiting)
            {
                waiting.Insert(0, instance.Id);
            }

            Time.Advance(TimeSpan.FromSeconds(1));
        }

        (await Store.ListAsync(new InstanceQuery(InstanceStatus.Waiting))).Select(s => s.InstanceId).Should().Equal(waiting);
        (await Store.ListAsync(new InstanceQuery(InstanceStatus.Failed))).Should().ContainSingle().Which.Status.Should().Be(InstanceStatus.Failed);
        (await Store.ListAsync(new InstanceQuery(InstanceStatus.Cancelled))).Should().BeEmpty();
    }

    [Fact]
    public async Task List_returns_at_most_the_limit_newest_first()
    {
        var ids = new List<InstanceId>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await CreateAsync(i % 2 == 0 ? InstanceStatus.Pending : InstanceStatus.Completed)).Instance.Id);
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        (await Store.ListAsync(new InstanceQuery(Limit: 2))).Select(s => s.InstanceId).Should().Equal(ids[4], ids[3]);
        (await Store.ListAsync(new InstanceQuery(InstanceStatus.Pending, Limit: 2))).Select(s => s.InstanceId).Should().Equal(ids[4], ids[2]);
        (await Store.ListAsync(new InstanceQuery(Limit: 0))).Should().BeEmpty();
    }

    [Fact]
    public async Task List_shows_the_status_and_time_of_the_last_save()
    {
        var (created, _) = await CreateAsync(InstanceStatus.Running);
        var loaded = (await Store.FindAsync(created.Id))!;
        Time.Advance(TimeSpan.FromMinutes(3));
        loaded.Status = InstanceStatus.Waiting;
        loaded.UpdatedAt = Time.GetUtcNow();
        await Store.SaveAsync(loaded, [TestInstances.Append(loaded, Time, JournalKinds.InstanceWaiting)]);

        var summary = (await Store.ListAsync(new InstanceQuery(InstanceStatus.Waiting))).Should().ContainSingle().Subject;

        summary.UpdatedAt.UtcTicks.Should().Be(loaded.UpdatedAt.UtcTicks);
        summary.CreatedAt.UtcTicks.Should().Be(created.CreatedAt.UtcTicks);
        (await Store.ListAsync(new InstanceQuery(InstanceStatus.Running))).Should().BeEmpty();
    }

    [Fact]
    public async Task FindByPrefix_returns_the_ids_that_start_with_the_prefix_in_order()
    {
        foreach (var id in new[] { "01jz7k2m9q0000000000000002", "01jz7k2m9q0000000000000001", "01jz7k2m9r0000000000000000", "01jz7k2m8z0000000000000000" })
        {
            await CreateAsync(id: new InstanceId(id));
        }

        (await Store.FindByPrefixAsync("01jz7k2m9q", 10)).Select(i => i.Value)
            .Should().Equal("01jz7k2m9q0000000000000001", "01jz7k2m9q0000000000000002");
        (await Store.FindByPrefixAsync("01jz7k2m9", 10)).Should().HaveCount(3);
        (await Store.FindByPrefixAsync("01jz7k2m9r0000000000000000", 10)).Should().ContainSingle();
    }

    [Fact]
    public async Task FindByPrefix_returns_at_most_the_limit()
    {
        for (var i = 0; i < 4; i++)
        {
            await CreateAsync(id: new InstanceId($"01jz7k2m9q000000000000000{i}"));
        }

        (await Store.FindByPrefixAsync("01jz7k", 2)).Select(i => i.Value).Should().Equal("01jz7k2m9q0000000000000000", "01jz7k2m9q0000000000000001");
        (await Store.FindByPrefixAsync("01jz7k", 0)).Should().BeEmpty();
    }

    [Fact]
    public async Task FindByPrefix_matches_characters_exactly()
    {
        await CreateAsync(id: new InstanceId("01jz7k2m9q0000000000000000"));

        (await Store.FindByPrefixAsync("01JZ7K", 10)).Should().BeEmpty();
        (await Store.FindByPrefixAsync("01jz7k2m9q%", 10)).Should().BeEmpty();
        (await Store.FindByPrefixAsync("01jz7k2m9q_", 10)).Should().BeEmpty();
        (await Store.FindByPrefixAsync("01jz7k2m9q*", 10)).Should().BeEmpty();
        (await Store.FindByPrefixAsync("zz", 10)).Should().BeEmpty();
    }
}
