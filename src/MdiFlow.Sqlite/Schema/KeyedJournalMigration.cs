using System.Globalization;
using Microsoft.Data.Sqlite;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Sqlite.Schema;

/// <summary>
/// Schema 3: the journal becomes keyed and the documents sealed. Every instance of an older store gets its entries
/// re-MACed under the store's key, a <c>journal.keyed</c> entry saying whether the old SHA-256 chain was intact when
/// it was keyed, and a sealed document (with the rehearsal flag and lab profile in their new form).
/// </summary>
internal static class KeyedJournalMigration
{
    public const string Kind = KeyedRecordUpgrade.Kind;

    public static void Run(SqliteConnection connection, SqliteTransaction transaction, JournalKey key)
    {
        Execute(connection, transaction, "DROP TRIGGER IF EXISTS journal_no_update;");
        var rows = new List<(string Id, string Document)>();
        using (var select = Command(connection, transaction, "SELECT id, document FROM instances"))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (id, document) in rows)
        {
            Rekey(connection, transaction, key, new InstanceId(id), document);
        }

        Execute(connection, transaction, """
            CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
            BEGIN SELECT RAISE(ABORT, 'the MdiFlow journal is append-only'); END;
            """);
    }

    private static void Rekey(SqliteConnection connection, SqliteTransaction transaction, JournalKey key, InstanceId id, string document)
    {
        var record = KeyedRecordUpgrade.Run(key, id, document, ReadJournal(connection, transaction, id), schema: 3, TimeProvider.System.GetUtcNow());
        using var update = Command(connection, transaction, "UPDATE journal SET previous_hash = $previous, hash = $mac WHERE instance_id = $id AND seq = $seq");
        foreach (var rekeyed in record.Rekeyed)
        {
            Bind(update, ("$previous", rekeyed.PreviousMac), ("$mac", rekeyed.Mac), ("$id", id.Value), ("$seq", rekeyed.Seq));
            update.ExecuteNonQuery();
        }

        var note = record.Note;
        using (var insert = Command(connection, transaction, """
            INSERT INTO journal (instance_id, seq, at, kind, actor, actor_source, step, data, previous_hash, hash)
            VALUES ($id, $seq, $at, $kind, $actor, $source, NULL, $data, $previous, $mac)
            """))
        {
            Bind(insert, ("$id", id.Value), ("$seq", note.Seq), ("$at", ColumnText.FromTime(note.At)), ("$kind", note.Kind), ("$actor", note.Actor), ("$source", note.ActorSource), ("$data", note.Data), ("$previous", note.PreviousMac), ("$mac", note.Mac));
            insert.ExecuteNonQuery();
        }

        using var seal = Command(connection, transaction, "UPDATE instances SET document = $document, seal = $seal WHERE id = $id");
        Bind(seal, ("$document", record.Document), ("$seal", record.Seal), ("$id", id.Value));
        seal.ExecuteNonQuery();
    }

    private static List<JournalEntry> ReadJournal(SqliteConnection connection, SqliteTransaction transaction, InstanceId id)
    {
        var entries = new List<JournalEntry>();
        using var select = Command(connection, transaction, "SELECT seq, at, kind, actor, actor_source, step, data, previous_hash, hash FROM journal WHERE instance_id = $id ORDER BY seq");
        Bind(select, ("$id", id.Value));
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            entries.Add(new JournalEntry(
                reader.GetInt64(0),
                DateTimeOffset.ParseExact(reader.GetString(1), "O", CultureInfo.InvariantCulture),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7),
                reader.GetString(8)));
        }

        return entries;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in values)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }
}
