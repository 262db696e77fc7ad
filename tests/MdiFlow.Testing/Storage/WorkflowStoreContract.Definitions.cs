using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Testing.Storage;

/// <summary>
/// Definitions are kept once per hash, outside the instance documents, and attached to every instance read;
/// and what a store keeps never changes when a caller changes its own objects, before or after a save.
/// </summary>
public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task Instances_of_one_definition_each_read_back_that_definition()
    {
        var first = (await CreateAsync()).Instance;
        var second = (await CreateAsync()).Instance;
        var other = TestInstances.New(Time, workflowId: "mdi-readiness");
        await Store.CreateAsync(other, [TestInstances.Append(other, Time, JournalKinds.InstanceCreated)]);

        first.DefinitionHash.Should().Be(second.DefinitionHash).And.NotBe(other.DefinitionHash);
        foreach (var instance in new[] { first, second, other })
        {
            var found = (await Store.FindAsync(instance.Id))!;
            found.DefinitionHash.Should().Be(instance.DefinitionHash);
            JsonNode.DeepEquals(found.Definition, instance.Definition).Should().BeTrue();
        }
    }

    [Fact]
    public async Task The_document_leaves_the_definition_out()
    {
        var (created, _) = await CreateAsync();

        var document = JsonNode.Parse(InstanceDocument.Serialize((await Store.FindAsync(created.Id))!))!.AsObject();

        document.ContainsKey("definition").Should().BeFalse();
        document["definitionHash"]!.GetValue<string>().Should().Be(created.DefinitionHash);
    }

    [Fact]
    public async Task A_definition_read_with_an_instance_is_a_copy_that_the_caller_may_change()
    {
        var (created, _) = await CreateAsync();

        var found = (await Store.FindAsync(created.Id))!;
        found.Definition["title"] = "changed by a caller";
        found.Definition["steps"]!.AsArray().RemoveAt(0);

        JsonNode.DeepEquals((await Store.FindAsync(created.Id))!.Definition, created.Definition).Should().BeTrue();
    }

    [Fact]
    public async Task A_save_keeps_the_definition_stored_when_the_instance_was_created()
    {
        var (created, _) = await CreateAsync();
        var original = created.Definition.DeepClone();
        var loaded = (await Store.FindAsync(created.Id))!;
        loaded.Definition["title"] = "edited in memory";

        await Store.SaveAsync(loaded, [TestInstances.Append(loaded, Time, JournalKinds.InstanceResumed)]);

        JsonNode.DeepEquals((await Store.FindAsync(created.Id))!.Definition, original).Should().BeTrue();
    }

    [Fact]
    public async Task Changing_an_instance_after_its_save_changes_nothing_stored()
    {
        var (created, _) = await CreateAsync();
        var loaded = (await Store.FindAsync(created.Id))!;
        loaded.Status = InstanceStatus.Running;
        loaded.Steps[0].Status = StepStatus.Completed;
        loaded.Steps[0].Output = new JsonObject { ["status"] = 200, ["headers"] = new JsonObject { ["etag"] = "v1" } };
        await Store.SaveAsync(loaded, [TestInstances.Append(loaded, Time, JournalKinds.StepCompleted, "download")]);
        var saved = InstanceDocument.Serialize(loaded);

        // The caller goes on with its own objects: in place, in every part of the instance.
        loaded.Steps[0].Output!["headers"]!["etag"] = "v2";
        loaded.Steps[1].Status = StepStatus.Running;
        loaded.Steps[1].StartedAt = Time.GetUtcNow();
        loaded.Inputs["workspace"] = "changed";
        loaded.SecretMap["accessKey"] = "env:OTHER";
        loaded.StepList.Add(new StepState { Id = "extra", Uses = "extra" });

        InstanceDocument.Serialize((await Store.FindAsync(created.Id))!).Should().Be(saved);
    }

    [Fact]
    public async Task A_save_after_an_in_place_change_stores_the_change()
    {
        var (created, _) = await CreateAsync();
        var loaded = (await Store.FindAsync(created.Id))!;
        loaded.Steps[0].Output = new JsonObject { ["status"] = 200, ["headers"] = new JsonObject { ["etag"] = "v1" } };
        await Store.SaveAsync(loaded, []);

        loaded.Steps[0].Output!["headers"]!["etag"] = "v2";
        loaded.Inputs["workspace"] = "changed in place";
        loaded.Steps[2].StartedAt = Time.GetUtcNow().ToOffset(TimeSpan.FromHours(2));
        await Store.SaveAsync(loaded, []);

        var found = (await Store.FindAsync(created.Id))!;
        InstanceDocument.Serialize(found).Should().Be(InstanceDocument.Serialize(loaded));
        found.Steps[0].Output!["headers"]!["etag"]!.GetValue<string>().Should().Be("v2");
    }

    [Fact]
    public async Task Concurrent_saves_of_different_instances_all_succeed_each_with_its_own_journal()
    {
        var peer = await OpenPeerAsync();
        var created = new List<(WorkflowInstance Instance, List<JournalEntry> Written)>();
        for (var i = 0; i < 24; i++)
        {
            created.Add(await CreateAsync());
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saves = created.Select((c, i) => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? Store : peer;
            var loaded = (await store.FindAsync(c.Instance.Id))!;
            loaded.Status = InstanceStatus.Running;
            var entries = new[]
            {
                JournalChain.Append(TestInstances.Key, loaded, TestInstances.Operator, Time.GetUtcNow(), JournalKinds.InstanceResumed),
                JournalChain.Append(TestInstances.Key, loaded, TestInstances.Operator, Time.GetUtcNow(), JournalKinds.StepStarted, "download", new JsonObject { ["attempt"] = i }),
            };
            await start.Task;
            await store.SaveAsync(loaded, entries);
            c.Written.AddRange(entries);
            return loaded;
        })).ToList();
        start.SetResult();

        var saved = await Task.WhenAll(saves);

        saved.Should().OnlyContain(i => i.Version == 2);
        foreach (var (instance, written) in created)
        {
            (await Store.FindAsync(instance.Id))!.Status.Should().Be(InstanceStatus.Running);
            var journal = await Store.ReadJournalAsync(instance.Id);
            journal.Should().Equal(written);
            JournalChain.Verify(TestInstances.Key, instance.Id, journal).Should().BeNull();
        }
    }

    [Fact]
    public async Task Among_concurrent_saves_a_stale_one_fails_alone()
    {
        var instances = new List<WorkflowInstance>();
        for (var i = 0; i < 12; i++)
        {
            instances.Add((await CreateAsync()).Instance);
        }

        // Every third one is saved by someone else first, so the save below holds a stale version.
        var loaded = new List<WorkflowInstance>();
        for (var i = 0; i < instances.Count; i++)
        {
            var mine = (await Store.FindAsync(instances[i].Id))!;
            if (i % 3 == 0)
            {
                var theirs = (await Store.FindAsync(instances[i].Id))!;
                await Store.SaveAsync(theirs, [TestInstances.Append(theirs, Time, JournalKinds.InstanceCancelled)]);
            }

            mine.Status = InstanceStatus.Running;
            loaded.Add(mine);
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saves = loaded.Select(mine => Task.Run(async () =>
        {
            var entry = JournalChain.Append(TestInstances.Key, mine, TestInstances.Operator, Time.GetUtcNow(), JournalKinds.InstanceResumed);
            await start.Task;
            try
            {
                await Store.SaveAsync(mine, [entry]);
                return true;
            }
            catch (ConcurrencyException)
            {
                return false;
            }
        })).ToList();
        start.SetResult();

        var won = await Task.WhenAll(saves);

        won.Should().Equal(Enumerable.Range(0, instances.Count).Select(i => i % 3 != 0));
        for (var i = 0; i < instances.Count; i++)
        {
            var found = (await Store.FindAsync(instances[i].Id))!;
            (found.Version, found.Status).Should().Be(i % 3 == 0 ? (2, InstanceStatus.Pending) : (2, InstanceStatus.Running));
            JournalChain.Verify(TestInstances.Key, instances[i].Id, await Store.ReadJournalAsync(instances[i].Id)).Should().BeNull();
        }
    }
}
