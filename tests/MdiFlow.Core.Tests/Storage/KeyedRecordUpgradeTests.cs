using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Journal;
using MdiFlow.Storage;
using MdiFlow.Testing.Storage;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Core.Tests.Storage;

public sealed class KeyedRecordUpgradeTests
{
    private readonly FakeTimeProvider _time = new(TestInstances.Start);
    private readonly JournalKey _key = JournalKey.Generate();

    [Fact]
    public void An_intact_old_record_is_rekeyed_in_order_sealed_and_noted_as_intact()
    {
        var (id, document, entries) = OldRecord(breakAt: null);

        var record = KeyedRecordUpgrade.Run(_key, id, document, entries, schema: 7, _time.GetUtcNow());

        JournalChain.Verify(_key, id, [.. record.Rekeyed, record.Note]).Should().BeNull();
        record.Rekeyed.Select(e => (e.Seq, e.Kind, e.Data)).Should().Equal(entries.Select(e => (e.Seq, e.Kind, e.Data)));
        record.Note.Kind.Should().Be("journal.keyed");
        record.Note.Data.Should().Be("""{"schema":7,"entries":2,"previousChain":"sha256, unkeyed","previousChainIntact":true}""");
        var upgraded = InstanceDocument.Deserialize(record.Document);
        (upgraded.JournalSeq, upgraded.JournalHead, upgraded.IsRehearsal, upgraded.Labels["lab.profile"]).Should().Be((3, record.Note.Mac, true, "healthy-dc"));
        var check = () => InstanceDocument.CheckSeal(_key, id, record.Document, record.Seal, "the test");
        check.Should().NotThrow();
    }

    [Fact]
    public void An_edited_old_entry_is_noted_as_a_broken_chain()
    {
        var (id, document, entries) = OldRecord(breakAt: 1);

        var record = KeyedRecordUpgrade.Run(_key, id, document, entries, schema: 7, _time.GetUtcNow());

        JsonNode.Parse(record.Note.Data!)!["previousChainIntact"]!.GetValue<bool>().Should().BeFalse();
    }

    /// <summary>An instance as written before the journal was keyed: isLab/labProfile, an unkeyed SHA-256 chain.</summary>
    private (MdiFlow.Instances.InstanceId Id, string Document, List<JournalEntry> Entries) OldRecord(int? breakAt)
    {
        var instance = TestInstances.New(_time);
        var document = JsonNode.Parse(InstanceDocument.Serialize(instance))!.AsObject();
        document.Remove("isRehearsal");
        document.Remove("labels");
        document["isLab"] = true;
        document["labProfile"] = "healthy-dc";
        var entries = new List<JournalEntry>();
        var previous = "";
        foreach (var kind in new[] { JournalKinds.InstanceCreated, JournalKinds.InstanceResumed })
        {
            var at = _time.GetUtcNow();
            var seq = entries.Count + 1L;
            var data = kind == JournalKinds.InstanceResumed ? """{"by":"zoë"}""" : null;
            var text = string.Join('\u001F', previous, seq.ToString(CultureInfo.InvariantCulture), at.ToString("O", CultureInfo.InvariantCulture), kind, "zoe", "os", "", data ?? "");
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            entries.Add(new JournalEntry(seq, at, kind, "zoe", "os", null, breakAt == seq ? """{"by":"mallory"}""" : data, previous, hash));
            previous = hash;
        }

        return (instance.Id, document.ToJsonString(), entries);
    }
}
