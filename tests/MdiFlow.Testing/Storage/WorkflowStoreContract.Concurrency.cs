using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Testing.Storage;

public abstract partial class WorkflowStoreContract
{
    /// <summary>How many rounds the concurrency facts play; each round races a different number of writers.</summary>
    protected virtual int ConcurrencyRounds => 12;

    [Fact]
    public async Task Concurrent_saves_of_one_loaded_version_let_exactly_one_writer_win()
    {
        var peer = await OpenPeerAsync();
        var (created, _) = await CreateAsync();
        var random = new Random(20250602);

        for (var round = 1; round <= ConcurrencyRounds; round++)
        {
            var writers = random.Next(2, 9);
            var loaded = new List<(IWorkflowStore Store, WorkflowInstance Instance, JournalEntry Entry)>();
            for (var w = 0; w < writers; w++)
            {
                var store = w % 2 == 0 ? Store : peer;
                var instance = (await store.FindAsync(created.Id))!;
                instance.Inputs["writer"] = $"{round}.{w}";
                instance.UpdatedAt = Time.GetUtcNow();
                var entry = JournalChain.Append(TestInstances.Key, instance, TestInstances.Operator, Time.GetUtcNow(), JournalKinds.InstanceResumed, data: new JsonObject { ["writer"] = $"{round}.{w}" });
                loaded.Add((store, instance, entry));
            }

            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var saves = loaded.Select(x => Task.Run(async () =>
            {
                await start.Task;
                try
                {
                    await x.Store.SaveAsync(x.Instance, [x.Entry]);
                    return true;
                }
                catch (ConcurrencyException)
                {
                    return false;
                }
            })).ToList();
            start.SetResult();
            var won = await Task.WhenAll(saves);

            won.Count(w => w).Should().Be(1, $"exactly one of {writers} writers wins round {round}");
            var winner = loaded[Array.IndexOf(won, true)];
            winner.Instance.Version.Should().Be(round + 1);
            loaded.Where((_, i) => !won[i]).Should().OnlyContain(l => l.Instance.Version == round);
            var stored = (await Store.FindAsync(created.Id))!;
            stored.Version.Should().Be(round + 1);
            InstanceDocument.Serialize(stored).Should().Be(InstanceDocument.Serialize(winner.Instance));
            var journal = await peer.ReadJournalAsync(created.Id);
            journal.Should().HaveCount(round + 1);
            journal[^1].Should().Be(winner.Entry);
            JournalChain.Verify(TestInstances.Key, created.Id, journal).Should().BeNull();
            Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Concurrent_creates_of_one_id_let_exactly_one_writer_win()
    {
        var peer = await OpenPeerAsync();
        var id = InstanceId.New(Time);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 6).Select(w =>
        {
            var instance = TestInstances.New(Time, id: id, workflowId: $"writer-{w}");
            var entry = JournalChain.Append(TestInstances.Key, instance, TestInstances.Operator, Time.GetUtcNow(), JournalKinds.InstanceCreated);
            var store = w % 2 == 0 ? Store : peer;
            return Task.Run(async () =>
            {
                await start.Task;
                try
                {
                    await store.CreateAsync(instance, [entry]);
                    return instance.WorkflowId;
                }
                catch (ConcurrencyException)
                {
                    return null;
                }
            });
        }).ToList();
        start.SetResult();

        var winners = (await Task.WhenAll(attempts)).OfType<string>().ToList();

        winners.Should().ContainSingle();
        (await Store.FindAsync(id))!.WorkflowId.Should().Be(winners[0]);
        (await Store.ReadJournalAsync(id)).Should().ContainSingle();
    }

    [Fact]
    public async Task Concurrent_creates_of_different_instances_all_succeed()
    {
        var peer = await OpenPeerAsync();
        var instances = Enumerable.Range(0, 16).Select(i => TestInstances.New(Time, id: new InstanceId($"01jz7k2m9q00000000000000{i:d2}"))).ToList();

        await Task.WhenAll(instances.Select((instance, i) => Task.Run(async () =>
            await (i % 2 == 0 ? Store : peer).CreateAsync(instance, [JournalChain.Append(TestInstances.Key, instance, TestInstances.Operator, Time.GetUtcNow(), JournalKinds.InstanceCreated)]))));

        (await Store.ListAsync(new InstanceQuery())).Should().HaveCount(16);
        instances.Should().OnlyContain(i => i.Version == 1);
    }
}
