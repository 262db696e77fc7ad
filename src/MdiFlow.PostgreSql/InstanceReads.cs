using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql;


/// <summary>The store's queries. Each runs on a pooled connection of its own; none of them writes.</summary>
internal static class InstanceReads
{
    /// <summary>The stored row of an instance, or null.</summary>
    public static async Task<StoredRow?> FindAsync(NpgsqlConnection connection, InstanceId id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT version, document::text, definition_hash, seal, status FROM mdiflow.instances WHERE id = $1", Text(id.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StoredRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4))
            : null;
    }

    /// <summary>
    /// The stored row of an instance with its journal's last entry, in one statement (so one snapshot: the tail is the
    /// one that committed with the row or after it), or null.
    /// </summary>
    public static async Task<(StoredRow Row, JournalTail? Tail)?> FindWithTailAsync(NpgsqlConnection connection, InstanceId id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, """
            SELECT i.version, i.document::text, i.definition_hash, i.seal, i.status, t.seq, t.mac
            FROM mdiflow.instances i
            LEFT JOIN LATERAL (SELECT j.seq, j.mac FROM mdiflow.journal j WHERE j.instance_id = i.id ORDER BY j.seq DESC LIMIT 1) t ON true
            WHERE i.id = $1
            """, Text(id.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var row = new StoredRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
        return (row, reader.IsDBNull(5) ? null : new JournalTail(reader.GetInt64(5), reader.GetString(6)));
    }

    /// <summary>The last journal entry's sequence number and MAC, or null: one probe of the primary key's index, read backwards.</summary>
    public static async Task<JournalTail?> FindTailAsync(NpgsqlConnection connection, InstanceId id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT seq, mac FROM mdiflow.journal WHERE instance_id = $1 ORDER BY seq DESC LIMIT 1", Text(id.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new JournalTail(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    /// <summary>The definition stored under a hash, as JSON text, or null.</summary>
    public static async Task<string?> FindDefinitionAsync(NpgsqlConnection connection, string hash, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT definition::text FROM mdiflow.definitions WHERE hash = $1", Text(hash));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>An instance's journal in sequence order.</summary>
    public static async Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(NpgsqlConnection connection, InstanceId id, StoreSettings settings, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, """
            SELECT seq, at, kind, actor, actor_source, step, data, previous_mac, mac
            FROM mdiflow.journal WHERE instance_id = $1 ORDER BY seq
            """, Text(id.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<JournalEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new JournalEntry(
                reader.GetInt64(0),
                ColumnValues.ToTime(reader.GetInt64(1), settings),
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

    /// <summary>Ids starting with <paramref name="prefix"/> (case-sensitive, characters taken literally), in order.</summary>
    public static async Task<IReadOnlyList<InstanceId>> FindByPrefixAsync(NpgsqlConnection connection, string prefix, int limit, CancellationToken cancellationToken)
    {
        // In the "C" collation every id that starts with the prefix sorts at or after it and before it followed by
        // the highest code point; starts_with keeps the match exact.
        await using var command = Command(
            connection,
            "SELECT id FROM mdiflow.instances WHERE id >= $1 AND id < $2 AND starts_with(id, $1) ORDER BY id LIMIT $3",
            Text(prefix),
            Text(prefix + char.ConvertFromUtf32(0x10FFFF)),
            new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<InstanceId>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(new InstanceId(reader.GetString(0)));
        }

        return ids;
    }

    /// <summary>Instances, newest first (ties by id, descending).</summary>
    public static async Task<IReadOnlyList<InstanceSummary>> ListAsync(NpgsqlConnection connection, InstanceQuery query, StoreSettings settings, CancellationToken cancellationToken)
    {
        await using var command = query.Status is { } status
            ? Command(connection, """
                SELECT id, workflow_id, status, created_at, updated_at FROM mdiflow.instances
                WHERE status = $1 ORDER BY created_at DESC, id DESC LIMIT $2
                """, Text(ColumnValues.FromStatus(status)), new NpgsqlParameter<int> { TypedValue = query.Limit })
            : Command(connection, """
                SELECT id, workflow_id, status, created_at, updated_at FROM mdiflow.instances
                ORDER BY created_at DESC, id DESC LIMIT $1
                """, new NpgsqlParameter<int> { TypedValue = query.Limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<InstanceSummary>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new InstanceSummary(
                new InstanceId(reader.GetString(0)),
                reader.GetString(1),
                ColumnValues.ToStatus(reader.GetString(2), settings),
                ColumnValues.ToTime(reader.GetInt64(3), settings),
                ColumnValues.ToTime(reader.GetInt64(4), settings)));
        }

        return list;
    }

    /// <summary>
    /// What a worker on <paramref name="host"/> should look at now, oldest wake time first (ties by id): one range scan
    /// of <c>ix_instances_wake_at</c>, which holds only instances with a wake time and covers every column read.
    /// </summary>
    public static async Task<IReadOnlyList<RunnableInstance>> FindRunnableAsync(NpgsqlConnection connection, DateTimeOffset now, string host, int limit, StoreSettings settings, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, """
            SELECT id, status, wake_at FROM mdiflow.instances
            WHERE wake_at IS NOT NULL AND wake_at <= $1 AND (required_host IS NULL OR required_host = $2)
            ORDER BY wake_at, id LIMIT $3
            """, new NpgsqlParameter<long> { TypedValue = ColumnValues.FromTime(now) }, Text(RunnableIndex.HostKey(host)), new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var due = new List<RunnableInstance>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            due.Add(new RunnableInstance(
                new InstanceId(reader.GetString(0)),
                ColumnValues.ToTime(reader.GetInt64(2), settings),
                RunnableIndex.ReasonFor(ColumnValues.ToStatus(reader.GetString(1), settings))));
        }

        return due;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<string> Text(string value) => ColumnValues.Text(value);
}
