using Microsoft.Data.Sqlite;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Sqlite.Schema;

/// <summary>
/// Schema 4: every instance's wake time and required host, computed by Core's <see cref="RunnableIndex"/> from its
/// document, so that a worker finds what is due through an index instead of reading every instance. The documents
/// and their seals are not changed.
/// </summary>
internal static class WakeIndexMigration
{
    public const string Sql = """
        ALTER TABLE instances ADD COLUMN wake_at TEXT NULL;
        ALTER TABLE instances ADD COLUMN required_host TEXT NULL;

        -- Only instances a worker must look at are in it; it covers every column the worker's query reads.
        CREATE INDEX ix_instances_wake_at ON instances (wake_at, id, required_host, status) WHERE wake_at IS NOT NULL;
        """;

    public static void Run(SqliteConnection connection, SqliteTransaction transaction, JournalKey key)
    {
        var rows = new List<(string Id, string Document)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT id, document FROM instances WHERE status NOT IN ('completed', 'rejected', 'cancelled', 'failed')";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE instances SET wake_at = $wake_at, required_host = $required_host WHERE id = $id";
        var wakeAt = update.Parameters.Add("$wake_at", SqliteType.Text);
        var requiredHost = update.Parameters.Add("$required_host", SqliteType.Text);
        var id = update.Parameters.Add("$id", SqliteType.Text);
        foreach (var row in rows)
        {
            Instances.WorkflowInstance instance;
            try
            {
                instance = InstanceDocument.Deserialize(row.Document);
            }
            catch (StoreException)
            {
                continue; // a damaged document gets no wake time; reading it reports the damage
            }

            wakeAt.Value = (object?)ColumnText.FromTime(RunnableIndex.WakeAt(instance)) ?? DBNull.Value;
            requiredHost.Value = (object?)RunnableIndex.RequiredHost(instance) ?? DBNull.Value;
            id.Value = row.Id;
            update.ExecuteNonQuery();
        }
    }
}
