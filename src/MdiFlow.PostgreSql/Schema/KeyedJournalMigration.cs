using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Schema;

/// <summary>
/// Schema 2: the journal becomes keyed and the documents sealed. Every instance of an older store gets its entries
/// re-MACed under the store's key, a <c>journal.keyed</c> entry saying whether the old SHA-256 chain was intact when
/// it was keyed, and a sealed document (with the rehearsal flag and lab profile in their new form), all in the
/// migration's transaction: a failure leaves the store as it was.
/// </summary>
/// <remarks>
/// Re-keying rewrites the MAC columns of existing journal rows, the one time they change: the owner role lifts the
/// append-only trigger for this transaction only (<c>DISABLE TRIGGER</c> is transactional) and puts it back.
/// </remarks>
internal static class KeyedJournalMigration
{
    /// <summary>The schema version this migration brings a store to.</summary>
    public const int Schema = 2;

    public static async Task RunAsync(NpgsqlConnection connection, StoreSettings settings, JournalKey key, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "ALTER TABLE mdiflow.journal DISABLE TRIGGER journal_no_update", cancellationToken).ConfigureAwait(false);
        var rows = new List<(string Id, string Document)>();
        await using (var select = new NpgsqlCommand("SELECT id, document::text FROM mdiflow.instances ORDER BY id", connection))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (id, document) in rows)
        {
            await RekeyAsync(connection, settings, key, new InstanceId(id), document, cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, "ALTER TABLE mdiflow.journal ENABLE TRIGGER journal_no_update", cancellationToken).ConfigureAwait(false);
    }

    private static async Task RekeyAsync(NpgsqlConnection connection, StoreSettings settings, JournalKey key, InstanceId id, string document, CancellationToken cancellationToken)
    {
        var entries = await InstanceReads.ReadJournalAsync(connection, id, settings, cancellationToken).ConfigureAwait(false);
        var record = KeyedRecordUpgrade.Run(key, id, document, entries, Schema, TimeProvider.System.GetUtcNow());
        await using (var update = new NpgsqlCommand("""
            UPDATE mdiflow.journal AS j SET previous_mac = r.previous_mac, mac = r.mac
            FROM unnest($2::bigint[], $3::text[], $4::text[]) AS r (seq, previous_mac, mac)
            WHERE j.instance_id = $1 AND j.seq = r.seq
            """, connection))
        {
            update.Parameters.Add(ColumnValues.Text(id.Value));
            update.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. record.Rekeyed.Select(e => e.Seq)] });
            update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. record.Rekeyed.Select(e => e.PreviousMac)] });
            update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. record.Rekeyed.Select(e => e.Mac)] });
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var note = record.Note;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO mdiflow.journal (instance_id, seq, at, kind, actor, actor_source, step, data, previous_mac, mac)
            VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9)
            """, connection))
        {
            insert.Parameters.Add(ColumnValues.Text(id.Value));
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = note.Seq });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ColumnValues.FromTime(note.At) });
            insert.Parameters.Add(ColumnValues.Text(note.Kind));
            insert.Parameters.Add(ColumnValues.Text(note.Actor));
            insert.Parameters.Add(ColumnValues.Text(note.ActorSource));
            insert.Parameters.Add(ColumnValues.Text(note.Data!));
            insert.Parameters.Add(ColumnValues.Text(note.PreviousMac));
            insert.Parameters.Add(ColumnValues.Text(note.Mac));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var seal = new NpgsqlCommand("UPDATE mdiflow.instances SET document = $2::json, seal = $3 WHERE id = $1", connection);
        seal.Parameters.Add(ColumnValues.Text(id.Value));
        seal.Parameters.Add(ColumnValues.Text(record.Document));
        seal.Parameters.Add(ColumnValues.Text(record.Seal));
        await seal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

}
