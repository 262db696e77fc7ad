using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Core.Tests.Journal;

public sealed class JournalChainTests
{
    private static List<JournalEntry> Chain(int count)
    {
        var instance = new WorkflowInstance { Id = new InstanceId("01jjournal0000000000000000"), WorkflowId = "w", WorkflowVersion = "1", DefinitionHash = "", Definition = [] };
        var at = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, count).Select(i => JournalChain.Append(instance, new Actor("alice", ActorSources.OperatingSystem), at.AddSeconds(i), JournalKinds.StepStarted, $"s{i}", new System.Text.Json.Nodes.JsonObject { ["attempt"] = 1 }))];
    }

    [Fact]
    public void An_untouched_chain_verifies() => JournalChain.Verify(Chain(5)).Should().BeNull();

    [Fact]
    public void An_edited_entry_is_named()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Actor = "mallory" };

        JournalChain.Verify(chain).Should().Be(new JournalBreak(3, "entry 3 (step.started) does not match its hash: it was edited"));
    }

    [Fact]
    public void A_removed_entry_is_named()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);

        JournalChain.Verify(chain)!.Seq.Should().Be(3);
    }

    [Fact]
    public void Reordered_entries_are_named()
    {
        var chain = Chain(5);
        (chain[1], chain[2]) = (chain[2], chain[1]);

        JournalChain.Verify(chain)!.Seq.Should().Be(3);
    }

    [Fact]
    public void An_entry_rewritten_with_a_recomputed_hash_still_breaks_the_next_link()
    {
        var chain = Chain(4);
        var forged = chain[1] with { Actor = "mallory" };
        chain[1] = forged with { Hash = JournalChain.ComputeHash(forged.Seq, forged.At, forged.Kind, forged.Actor, forged.ActorSource, forged.Step, forged.Data, forged.PreviousHash) };

        JournalChain.Verify(chain)!.Seq.Should().Be(3);
    }
}
