using MdiFlow.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Schema;

/// <summary>
/// Schema 3: every instance's wake time and required host, computed by Core's <see cref="RunnableIndex"/> from its
/// document, so that a worker finds what is due through an index instead of reading every instance. Documents and
/// seals are not changed.
/// </summary>
internal static class WakeIndexMigration
{
    public const string Sql = """
        ALTER TABLE mdiflow.instances ADD COLUMN wake_at bigint NULL, ADD COLUMN required_host text NULL;
        COMMENT ON COLUMN mdiflow.instances.wake_at IS 'When a worker should next look at the instance (UTC .NET ticks), computed by MdiFlow from the document and written with it; null: never (waiting without an expiry, failed, finished).';
        COMMENT ON COLUMN mdiflow.instances.required_host IS 'The host whose worker must run the next step; null: any worker.';
        -- Only instances a worker must look at are in it, in the order the worker reads them.
        CREATE INDEX ix_instances_wake_at ON mdiflow.instances (wake_at, id) INCLUDE (required_host, status) WHERE wake_at IS NOT NULL;
        GRANT UPDATE (wake_at, required_host) ON mdiflow.instances TO {app};
        """;

    public static async Task RunAsync(NpgsqlConnection connection, StoreSettings settings, Journal.JournalKey key, CancellationToken cancellationToken)
    {
        var rows = new List<(string Id, string Document)>();
        await using (var select = new NpgsqlCommand("SELECT id, document::text FROM mdiflow.instances WHERE status NOT IN ('completed', 'rejected', 'cancelled', 'failed')", connection))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var ids = new List<string>();
        var wakeAt = new List<long?>();
        var hosts = new List<string?>();
        foreach (var (id, document) in rows)
        {
            Instances.WorkflowInstance instance;
            try
            {
                instance = InstanceDocument.Deserialize(document);
            }
            catch (StoreException)
            {
                continue; // a damaged document gets no wake time; reading it reports the damage
            }

            ids.Add(id);
            wakeAt.Add(ColumnValues.FromTime(RunnableIndex.WakeAt(instance)));
            hosts.Add(RunnableIndex.RequiredHost(instance));
        }

        await using var update = new NpgsqlCommand("""
            UPDATE mdiflow.instances AS i SET wake_at = r.wake_at, required_host = r.required_host
            FROM unnest($1::text[], $2::bigint[], $3::text[]) AS r (id, wake_at, required_host)
            WHERE i.id = r.id
            """, connection);
        update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
        update.Parameters.Add(new NpgsqlParameter<long?[]> { TypedValue = [.. wakeAt] });
        update.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. hosts] });
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
