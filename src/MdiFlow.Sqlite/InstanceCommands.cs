using System.Data;
using Microsoft.Data.Sqlite;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;
using static SQLitePCL.raw;

namespace MdiFlow.Sqlite;

/// <summary>An instance's stored row: the version compared for concurrency, the sealed document, its definition's hash, the seal, and the status column listings use.</summary>

/// <summary>
/// The store's statements, prepared once on its connection. The journal is only ever inserted into
/// and read: no statement here updates or deletes a journal row.
/// </summary>
internal sealed class InstanceCommands : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly StoreSettings _settings;
    private readonly SqliteCommand _insertInstance;
    private readonly SqliteCommand _insertDefinition;
    private readonly SqliteCommand _updateInstance;
    private readonly SqliteCommand _selectVersion;
    private readonly SqliteCommand _insertEntry;
    private readonly SqliteCommand _selectInstance;
    private readonly SqliteCommand _selectDefinition;
    private readonly SqliteCommand _selectJournal;
    private readonly SqliteCommand _selectTail;
    private readonly SqliteCommand _selectByPrefix;
    private readonly SqliteCommand _listAll;
    private readonly SqliteCommand _listByStatus;
    private readonly SqliteCommand _selectRunnable;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _rollbackTo;

    private InstanceCommands(SqliteConnection connection, StoreSettings settings)
    {
        _connection = connection;
        _settings = settings;
        _insertInstance = Prepare("""
            INSERT INTO instances (id, workflow_id, status, version, created_at, updated_at, due_at, document, definition_hash, seal, wake_at, required_host)
            VALUES ($id, $workflow_id, $status, 1, $created_at, $updated_at, $due_at, $document, $definition_hash, $seal, $wake_at, $required_host)
            ON CONFLICT (id) DO NOTHING
            """, "$id", "$workflow_id", "$status", "$created_at", "$updated_at", "$due_at", "$document", "$definition_hash", "$seal", "$wake_at", "$required_host");
        _insertDefinition = Prepare(
            "INSERT INTO definitions (hash, definition) VALUES ($hash, $definition) ON CONFLICT (hash) DO NOTHING",
            "$hash", "$definition");
        _updateInstance = Prepare("""
            UPDATE instances
            SET status = $status, updated_at = $updated_at, due_at = $due_at, document = $document, seal = $seal,
                wake_at = $wake_at, required_host = $required_host, version = version + 1
            WHERE id = $id AND version = $expected
            """, "$id", "$expected", "$status", "$updated_at", "$due_at", "$document", "$seal", "$wake_at", "$required_host");
        _selectVersion = Prepare("SELECT version, coalesce(json_extract(document, '$.leaseToken'), 0) FROM instances WHERE id = $id", "$id");
        _insertEntry = Prepare("""
            INSERT INTO journal (instance_id, seq, at, kind, actor, actor_source, step, data, previous_hash, hash)
            VALUES ($instance_id, $seq, $at, $kind, $actor, $actor_source, $step, $data, $previous_hash, $hash)
            """, "$instance_id", "$seq", "$at", "$kind", "$actor", "$actor_source", "$step", "$data", "$previous_hash", "$hash");
        _selectInstance = Prepare("SELECT version, document, definition_hash, seal, status FROM instances WHERE id = $id", "$id");
        _selectTail = Prepare("SELECT seq, hash FROM journal WHERE instance_id = $id ORDER BY seq DESC LIMIT 1", "$id");
        _selectDefinition = Prepare("SELECT definition FROM definitions WHERE hash = $hash", "$hash");
        _selectJournal = Prepare("""
            SELECT seq, at, kind, actor, actor_source, step, data, previous_hash, hash
            FROM journal WHERE instance_id = $id ORDER BY seq
            """, "$id");
        _selectByPrefix = Prepare(
            "SELECT id FROM instances WHERE id >= $prefix AND id < $upper ORDER BY id LIMIT $limit",
            "$prefix", "$upper", "$limit");
        _listAll = Prepare("""
            SELECT id, workflow_id, status, created_at, updated_at FROM instances
            ORDER BY created_at DESC, id DESC LIMIT $limit
            """, "$limit");
        _listByStatus = Prepare("""
            SELECT id, workflow_id, status, created_at, updated_at FROM instances
            WHERE status = $status ORDER BY created_at DESC, id DESC LIMIT $limit
            """, "$status", "$limit");
        _selectRunnable = Prepare(RunnableQuery, "$now", "$host", "$limit");
        _savepoint = Prepare("SAVEPOINT write");
        _release = Prepare("RELEASE write");
        _rollbackTo = Prepare("ROLLBACK TO write");
    }

    /// <summary>
    /// The instances due at <c>$now</c> that <c>$host</c> may run, read in the order of the partial index
    /// <c>ix_instances_wake_at</c> (only rows with a wake time are in it) and stopped at the limit; the index covers
    /// every column read, so no instance row is visited.
    /// </summary>
    internal const string RunnableQuery = """
        SELECT id, status, wake_at FROM instances
        WHERE wake_at IS NOT NULL AND wake_at <= $now AND (required_host IS NULL OR required_host = $host)
        ORDER BY wake_at, id LIMIT $limit
        """;

    /// <summary>Opens the store and prepares its statements.</summary>
    public static InstanceCommands Open(StoreSettings settings)
    {
        var connection = StoreConnection.Open(settings);
        try
        {
            return new InstanceCommands(connection, settings);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Begins the transaction of a batch of writes, taking the write lock (waiting up to the busy timeout).</summary>
    public SqliteTransaction Begin() => _connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);

    /// <summary>
    /// Applies one write inside the batch's transaction, in a savepoint of its own: on a conflict, or a row that
    /// breaks a constraint, only this write is undone and its error returned; the others in the batch go on.
    /// </summary>
    /// <returns>Null when the write was applied; else why it was not.</returns>
    /// <exception cref="SqliteException">Anything else went wrong: the whole batch must be rolled back.</exception>
    public Exception? Apply(PendingWrite write, SqliteTransaction transaction)
    {
        Execute(_savepoint, transaction);
        try
        {
            var refused = write.IsCreate ? Insert(write, transaction) : Update(write, transaction);
            if (refused is null)
            {
                Append(transaction, write.Instance.Id, write.Entries);
                Execute(_release, transaction);
                return null;
            }

            Undo(transaction);
            return refused;
        }
        catch (SqliteException ex) when ((ex.SqliteErrorCode & 0xFF) == SQLITE_CONSTRAINT)
        {
            Undo(transaction);
            return StoreErrors.Translate(ex, _settings);
        }
    }

    /// <summary>The stored row of an instance, or null.</summary>
    public StoredRow? Find(InstanceId id)
    {
        using var reader = Read(_selectInstance, id.Value);
        return reader.Read() ? new StoredRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)) : null;
    }

    /// <summary>The last journal entry's sequence number and MAC, or null (the primary key's index, read backwards).</summary>
    public JournalTail? FindTail(InstanceId id)
    {
        using var reader = Read(_selectTail, id.Value);
        return reader.Read() ? new JournalTail(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    /// <summary>The definition stored under a hash, as JSON text, or null.</summary>
    public string? FindDefinition(string hash)
    {
        using var reader = Read(_selectDefinition, hash);
        return reader.Read() ? reader.GetString(0) : null;
    }

    /// <summary>An instance's journal in sequence order.</summary>
    public IReadOnlyList<JournalEntry> ReadJournal(InstanceId id)
    {
        var entries = new List<JournalEntry>();
        using var reader = Read(_selectJournal, id.Value);
        while (reader.Read())
        {
            entries.Add(new JournalEntry(
                reader.GetInt64(0),
                ColumnText.ToTime(reader.GetString(1), _settings.FullPath),
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

    /// <summary>Ids starting with <paramref name="prefix"/> (case-sensitive), in order.</summary>
    public IReadOnlyList<InstanceId> FindByPrefix(string prefix, int limit)
    {
        // Every id that starts with the prefix sorts at or after it and before it followed by the highest code point.
        var ids = new List<InstanceId>();
        using var reader = Read(_selectByPrefix, prefix, prefix + char.ConvertFromUtf32(0x10FFFF), limit);
        while (reader.Read())
        {
            ids.Add(new InstanceId(reader.GetString(0)));
        }

        return ids;
    }

    /// <summary>Instances, newest first.</summary>
    public IReadOnlyList<InstanceSummary> List(InstanceQuery query)
    {
        var list = new List<InstanceSummary>();
        using var reader = query.Status is { } status
            ? Read(_listByStatus, ColumnText.FromStatus(status), query.Limit)
            : Read(_listAll, query.Limit);
        while (reader.Read())
        {
            list.Add(new InstanceSummary(
                new InstanceId(reader.GetString(0)),
                reader.GetString(1),
                ColumnText.ToStatus(reader.GetString(2), _settings.FullPath),
                ColumnText.ToTime(reader.GetString(3), _settings.FullPath),
                ColumnText.ToTime(reader.GetString(4), _settings.FullPath)));
        }

        return list;
    }

    /// <summary>The instances due at <paramref name="now"/> that <paramref name="host"/> may run, oldest first.</summary>
    public IReadOnlyList<RunnableInstance> FindRunnable(DateTimeOffset now, string host, int limit)
    {
        var found = new List<RunnableInstance>();
        using var reader = Read(_selectRunnable, ColumnText.FromTime(now), RunnableIndex.HostKey(host), limit);
        while (reader.Read())
        {
            found.Add(new RunnableInstance(
                new InstanceId(reader.GetString(0)),
                ColumnText.ToTime(reader.GetString(2), _settings.FullPath),
                RunnableIndex.ReasonFor(ColumnText.ToStatus(reader.GetString(1), _settings.FullPath))));
        }

        return found;
    }

    /// <summary>Records a worker of <paramref name="host"/>, unless another host's worker uses the store (<see cref="WorkerHosts"/>).</summary>
    public void AdmitWorker(string host, DateTimeOffset now) => WorkerHosts.Admit(_connection, _settings, host, now);

    /// <summary>The value of a pragma on this connection, as text.</summary>
    public string? ReadPragma(string name)
    {
        if (!name.All(c => char.IsAsciiLetterLower(c) || c == '_'))
        {
            throw new ArgumentException($"'{name}' is not a pragma name.", nameof(name));
        }

        using var command = _connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return command.ExecuteScalar()?.ToString();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var command in new[] { _insertInstance, _insertDefinition, _updateInstance, _selectVersion, _insertEntry, _selectInstance, _selectDefinition, _selectJournal, _selectTail, _selectByPrefix, _listAll, _listByStatus, _selectRunnable, _savepoint, _release, _rollbackTo })
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private ConcurrencyException? Insert(PendingWrite write, SqliteTransaction transaction)
    {
        var instance = write.Instance;
        if (write.Definition is { } definition)
        {
            Execute(_insertDefinition, transaction, instance.DefinitionHash, definition);
        }

        var inserted = Execute(
            _insertInstance,
            transaction,
            instance.Id.Value,
            instance.WorkflowId,
            ColumnText.FromStatus(write.Status),
            ColumnText.FromTime(instance.CreatedAt),
            ColumnText.FromTime(write.UpdatedAt),
            ColumnText.FromTime(write.DueAt),
            write.Document,
            instance.DefinitionHash,
            write.Seal,
            ColumnText.FromTime(write.WakeAt),
            write.RequiredHost);
        return inserted == 0 ? new ConcurrencyException($"Instance {instance.Id} already exists.") : null;
    }

    private ConcurrencyException? Update(PendingWrite write, SqliteTransaction transaction)
    {
        var instance = write.Instance;
        var updated = Execute(
            _updateInstance,
            transaction,
            instance.Id.Value,
            write.Expected,
            ColumnText.FromStatus(write.Status),
            ColumnText.FromTime(write.UpdatedAt),
            ColumnText.FromTime(write.DueAt),
            write.Document,
            write.Seal,
            ColumnText.FromTime(write.WakeAt),
            write.RequiredHost);
        if (updated != 0)
        {
            return null;
        }

        _selectVersion.Transaction = transaction;
        _selectVersion.Parameters[0].Value = instance.Id.Value;
        using var reader = _selectVersion.ExecuteReader();
        if (!reader.Read())
        {
            return new ConcurrencyException($"Instance {instance.Id} does not exist.");
        }

        var (stored, storedToken) = (reader.GetInt64(0), reader.GetInt64(1));
        return LeaseFence.IsStale(write.LeaseToken, storedToken)
            ? LeaseFence.Lost(instance.Id, write.LeaseToken, storedToken)
            : new ConcurrencyException($"Instance {instance.Id} was changed by another writer (version {stored}, expected {write.Expected}).");
    }

    private void Undo(SqliteTransaction transaction)
    {
        Execute(_rollbackTo, transaction);
        Execute(_release, transaction);
    }

    private void Append(SqliteTransaction transaction, InstanceId id, IReadOnlyList<JournalEntry> entries)
    {
        foreach (var e in entries)
        {
            // The columns keep their schema-1 names; since schema 3 they hold keyed MACs.
            Execute(_insertEntry, transaction, id.Value, e.Seq, ColumnText.FromTime(e.At), e.Kind, e.Actor, e.ActorSource, e.Step, e.Data, e.PreviousMac, e.Mac);
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static int Execute(SqliteCommand command, SqliteTransaction transaction, params object?[] values)
    {
        Bind(command, transaction, values);
        return command.ExecuteNonQuery();
    }

    private static SqliteDataReader Read(SqliteCommand command, params object?[] values)
    {
        Bind(command, transaction: null, values);
        return command.ExecuteReader();
    }

    private static void Bind(SqliteCommand command, SqliteTransaction? transaction, object?[] values)
    {
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
