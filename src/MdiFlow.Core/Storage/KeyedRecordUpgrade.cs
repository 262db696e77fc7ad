using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Storage;

/// <summary>
/// The upgrade of one instance's record written before the journal was keyed (an unkeyed SHA-256 chain, an unsealed
/// document with <c>isLab</c>/<c>labProfile</c>): every entry re-MACed under the store's key, a <c>journal.keyed</c>
/// entry saying whether the old chain was intact when it was keyed, and the document in its new form with its seal.
/// Every store's migration uses it, so they upgrade a record the same way; each store only reads and writes rows.
/// </summary>
internal static class KeyedRecordUpgrade
{
    /// <summary>The kind of the entry that records the upgrade.</summary>
    public const string Kind = "journal.keyed";

    /// <summary>
    /// Upgrades the record of <paramref name="id"/>: its stored <paramref name="document"/> and its journal's
    /// <paramref name="entries"/> in order, keyed with <paramref name="key"/>; the <c>journal.keyed</c> entry records
    /// the store's <paramref name="schema"/> after the upgrade, at <paramref name="at"/>.
    /// </summary>
    /// <exception cref="StoreException">The document is not an instance document.</exception>
    public static KeyedRecord Run(JournalKey key, InstanceId id, string document, IReadOnlyList<JournalEntry> entries, int schema, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entries);
        var intact = LegacyChainIntact(entries);
        var instance = InstanceDocument.Deserialize(Renamed(document));
        instance.JournalSeq = 0;
        instance.JournalHead = "";
        var rekeyed = entries.Select(e => JournalChain.Append(key, instance, new Actor(e.Actor, e.ActorSource), e.At, e.Kind, e.Step, e.Data)).ToList();
        var note = JournalChain.Append(key, instance, Actor.Engine, at, Kind, null, new JsonObject
        {
            ["schema"] = schema,
            ["entries"] = entries.Count,
            ["previousChain"] = "sha256, unkeyed",
            ["previousChainIntact"] = intact,
        });
        var text = InstanceDocument.Serialize(instance);
        return new KeyedRecord(rekeyed, note, text, InstanceDocument.Seal(key, id, text));
    }

    /// <summary>The old document with <c>isLab</c>/<c>labProfile</c> as <c>isRehearsal</c>/<c>labels</c>.</summary>
    private static string Renamed(string document)
    {
        var node = JsonNode.Parse(document) as JsonObject ?? throw new StoreException("An instance document is not a JSON object: the store is corrupt.");
        if (node.Remove("isLab", out var lab))
        {
            node["isRehearsal"] = lab?.DeepClone();
        }

        if (node.Remove("labProfile", out var profile) && profile is not null)
        {
            node["labels"] = new JsonObject { ["lab.profile"] = profile.DeepClone() };
        }

        return node.ToJsonString();
    }

    /// <summary>Whether an old chain (SHA-256 over the fields joined by U+001F) was intact.</summary>
    private static bool LegacyChainIntact(IReadOnlyList<JournalEntry> entries)
    {
        var previous = "";
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var text = string.Join('\u001F', previous, e.Seq.ToString(CultureInfo.InvariantCulture), e.At.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), e.Kind, e.Actor, e.ActorSource, e.Step ?? "", e.Data ?? "");
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            if (e.Seq != i + 1 || e.PreviousMac != previous || e.Mac != hash)
            {
                return false;
            }

            previous = hash;
        }

        return true;
    }
}

/// <summary>One instance's upgraded record.</summary>
/// <param name="Rekeyed">Its entries, in order, with the same sequence numbers and MACs under the store's key.</param>
/// <param name="Note">The <c>journal.keyed</c> entry to append after them.</param>
/// <param name="Document">The document in its new form, its journal head on <paramref name="Note"/>.</param>
/// <param name="Seal">The document's seal.</param>
internal sealed record KeyedRecord(IReadOnlyList<JournalEntry> Rekeyed, JournalEntry Note, string Document, string Seal);
