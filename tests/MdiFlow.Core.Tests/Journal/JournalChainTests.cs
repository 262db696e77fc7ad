using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Core.Tests.Journal;

public sealed class JournalChainTests
{
    private static readonly JournalKey Key = JournalKey.Generate();
    private static readonly InstanceId Id = new("01jjournal0000000000000000");

    private static List<JournalEntry> Chain(int count, InstanceId? id = null)
    {
        var instance = new WorkflowInstance { Id = id ?? Id, WorkflowId = "w", WorkflowVersion = "1", DefinitionHash = "", Definition = [] };
        var at = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, count).Select(i => JournalChain.Append(Key, instance, new Actor("alice", ActorSources.OperatingSystem), at.AddSeconds(i), JournalKinds.StepStarted, $"s{i}", new System.Text.Json.Nodes.JsonObject { ["attempt"] = 1 }))];
    }

    [Fact]
    public void An_untouched_chain_verifies() => JournalChain.Verify(Key, Id, Chain(5)).Should().BeNull();

    [Fact]
    public void An_edited_entry_is_named()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Actor = "mallory" };

        JournalChain.Verify(Key, Id, chain).Should().Be(new JournalBreak(3, "entry 3 (step.started) does not match its MAC under the journal key: it was edited, or it belongs to another instance"));
    }

    [Fact]
    public void A_removed_entry_is_named()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);

        JournalChain.Verify(Key, Id, chain)!.Seq.Should().Be(3);
    }

    [Fact]
    public void Reordered_entries_are_named()
    {
        var chain = Chain(5);
        (chain[1], chain[2]) = (chain[2], chain[1]);

        JournalChain.Verify(Key, Id, chain)!.Seq.Should().Be(3);
    }

    [Fact]
    public void An_entry_rewritten_with_a_MAC_under_another_key_does_not_verify()
    {
        var chain = Chain(4);
        var attacker = JournalKey.Generate();
        var forged = chain[1] with { Actor = "mallory" };
        chain[1] = forged with { Mac = JournalChain.MacOf(attacker, Id, forged) };

        JournalChain.Verify(Key, Id, chain)!.Seq.Should().Be(2);
    }

    [Fact]
    public void The_journal_of_another_instance_does_not_verify_as_this_one()
    {
        var other = Chain(3, new InstanceId("01jjournal0000000000000001"));

        JournalChain.Verify(Key, Id, other)!.Reason.Should().Contain("belongs to another instance");
    }

    [Fact]
    public void Fields_cannot_bleed_into_each_other()
    {
        var a = JournalMac.Entry(Key, "i", 1, DateTimeOffset.UnixEpoch, "kind", "ab", "c", null, null, "");
        var b = JournalMac.Entry(Key, "i", 1, DateTimeOffset.UnixEpoch, "kind", "a", "bc", null, null, "");

        a.Should().NotBe(b);
    }
}
