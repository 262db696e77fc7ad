using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Schema;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests.Schema;

/// <summary>
/// A store of schema 1 (an unkeyed SHA-256 chain, unsealed documents with <c>isLab</c>) opened by this version: every
/// journal re-keyed under the store's key, every document sealed, a <c>journal.keyed</c> entry recorded, the key's
/// fingerprint kept, and the journal append-only again afterwards.
/// </summary>
public sealed class KeyedJournalMigrationTests : DatabaseTest
{
    [Fact]
    public async Task An_old_store_is_rekeyed_sealed_and_says_its_old_chain_was_intact()
    {
        var (instance, entries) = await CreateSchemaOneStoreAsync(breakChain: false);

        var store = Open();
        var migrated = (await store.FindAsync(instance.Id))!;
        var journal = await store.ReadJournalAsync(instance.Id);

        var key = JournalKey.Load(Database.KeyFile);
        TestInstances.VerifyChain(key, instance.Id, journal).Should().BeNull();
        journal.Should().HaveCount(entries.Count + 1);
        journal.Take(entries.Count).Select(e => (e.Seq, e.At, e.Kind, e.Actor, e.Data)).Should().Equal(entries.Select(e => (e.Seq, e.At, e.Kind, e.Actor, e.Data)));
        var note = journal[^1];
        note.Kind.Should().Be("journal.keyed");
        JsonNode.Parse(note.Data!)!.ToJsonString().Should().Be("""{"schema":2,"entries":2,"previousChain":"sha256, unkeyed","previousChainIntact":true}""");
        (migrated.JournalSeq, migrated.JournalHead).Should().Be((note.Seq, note.Mac));
        migrated.IsRehearsal.Should().BeTrue("isLab became isRehearsal");
        migrated.Labels.Should().Contain("lab.profile", "healthy-dc");
        (await Database.ScalarAsync<string>("SELECT journal_key FROM mdiflow.store_info")).Should().Be(key.Id);
        (await Database.ScalarAsync<int>("SELECT schema_version FROM mdiflow.store_info")).Should().Be(StoreSchema.CurrentVersion);
    }

    [Fact]
    public async Task A_broken_old_chain_is_migrated_and_recorded_as_broken()
    {
        var (instance, _) = await CreateSchemaOneStoreAsync(breakChain: true);

        var journal = await Open().ReadJournalAsync(instance.Id);

        JsonNode.Parse(journal[^1].Data!)!["previousChainIntact"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task The_journal_is_append_only_again_after_the_migration()
    {
        await CreateSchemaOneStoreAsync(breakChain: false);
        await Open().OpenAsync();

        var act = async () => await Database.ExecuteAsync("UPDATE mdiflow.journal SET actor = 'mallory'");

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Be("the MdiFlow journal is append-only: UPDATE on mdiflow.journal is refused");
    }

    /// <summary>A store as schema 1 wrote it: its rows with the old document form and the old SHA-256 chain.</summary>
    private async Task<(WorkflowInstance Instance, List<JournalEntry> Entries)> CreateSchemaOneStoreAsync(bool breakChain)
    {
        await using (var connection = await Database.OpenAsync())
        {
            await SchemaMigrator.MigrateAsync(connection, new StoreSettings(Database.Options()), [StoreSchema.Migrations[0]], CancellationToken.None);
        }

        var instance = TestInstances.New(Time);
        var document = JsonNode.Parse(InstanceDocument.Serialize(instance))!.AsObject();
        document.Remove("isRehearsal");
        document.Remove("labels");
        document["isLab"] = true;
        document["labProfile"] = "healthy-dc";
        var entries = new List<JournalEntry>();
        var previous = "";
        foreach (var (kind, data) in new[] { (JournalKinds.InstanceCreated, (string?)null), (JournalKinds.InstanceResumed, """{"by":"zoë"}""") })
        {
            var at = Time.GetUtcNow();
            Time.Advance(TimeSpan.FromTicks(10_001));
            var seq = entries.Count + 1L;
            var text = string.Join('\u001F', previous, seq.ToString(CultureInfo.InvariantCulture), at.ToString("O", CultureInfo.InvariantCulture), kind, TestInstances.Operator.Name, TestInstances.Operator.Source, "", data ?? "");
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            entries.Add(new JournalEntry(seq, at, kind, TestInstances.Operator.Name, TestInstances.Operator.Source, null, data, previous, breakChain && seq == 2 ? new string('0', 64) : hash));
            previous = hash;
        }

        document["journalSeq"] = entries.Count;
        document["journalHead"] = entries[^1].Mac;
        await Database.ExecuteAsync($"""
            INSERT INTO mdiflow.definitions (hash, definition) VALUES ('{instance.DefinitionHash}', '{instance.Definition.ToJsonString().Replace("'", "''", StringComparison.Ordinal)}');
            INSERT INTO mdiflow.instances (id, workflow_id, status, version, created_at, updated_at, due_at, document, definition_hash)
            VALUES ('{instance.Id}', '{instance.WorkflowId}', 'pending', 1, {instance.CreatedAt.UtcTicks}, {instance.UpdatedAt.UtcTicks}, NULL,
                    '{document.ToJsonString().Replace("'", "''", StringComparison.Ordinal)}', '{instance.DefinitionHash}');
            """);
        foreach (var e in entries)
        {
            await Database.ExecuteAsync($"""
                INSERT INTO mdiflow.journal (instance_id, seq, at, kind, actor, actor_source, step, data, previous_hash, hash)
                VALUES ('{instance.Id}', {e.Seq}, {e.At.UtcTicks}, '{e.Kind}', '{e.Actor.Replace("'", "''", StringComparison.Ordinal)}', '{e.ActorSource}', NULL,
                        {(e.Data is null ? "NULL" : $"'{e.Data}'")}, '{e.PreviousMac}', '{e.Mac}')
                """);
        }

        return (instance, entries);
    }
}
