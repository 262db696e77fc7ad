using System.Data;
using Microsoft.Data.Sqlite;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Sqlite;

/// <summary>
/// The store's statements, prepared once on its connection. The journal is only ever inserted into
/// and read: no statement here updates or deletes a journal row.
/// </summary>
internal sealed class InstanceCommands : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly SqliteCommand _insertInstance;
    private readonly SqliteCommand _updateInstance;
    private readonly SqliteCommand _selectVersion;
    private readonly SqliteCommand _insertEntry;
    private readonly SqliteCommand _selectInstance;
    private readonly SqliteCommand _selectJournal;
    private readonly SqliteCommand _selectByPrefix;
    private readonly SqliteCommand _listAll;
    private readonly SqliteCommand _listByStatus;

    private InstanceCommands(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
        _insertInstance = Prepare("""
            INSERT INTO instances (id, workflow_id, status, version, created_at, updated_at, due_at, document)
            VALUES ($id, $workflow_id, $status, 1, $created_at, $updated_at, $due_at, $document)
            ON CONFLICT (id) DO NOTHING
            """, "$id", "$workflow_id", "$status", "$created_at", "$updated_at", "$due_at", "$document");
        _updateInstance = Prepare("""
            UPDATE instances
            SET status = $status, updated_at = $updated_at, due_at = $due_at, document = $document, version = version + 1
            WHERE id = $id AND version = $expected
            """, "$id", "$expected", "$status", "$updated_at", "$due_at", "$document");
        _selectVersion = Prepare("SELECT version FROM instances WHERE id = $id", "$id");
        _insertEntry = Prepare("""
            INSERT INTO journal (instance_id, seq, at, kind, actor, actor_source, step, data, previous_hash, hash)
            VALUES ($instance_id, $seq, $at, $kind, $actor, $actor_source, $step, $data, $previous_hash, $hash)
            """, "$instance_id", "$seq", "$at", "$kind", "$actor", "$actor_source", "$step", "$data", "$previous_hash", "$hash");
        _selectInstance = Prepare("SELECT version, document FROM instances WHERE id = $id", "$id");
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
    }

    /// <summary>Opens the store and prepares its statements.</summary>
    public static InstanceCommands Open(StoreSettings settings)
    {
        var connection = StoreConnection.Open(settings);
        try
        {
            return new InstanceCommands(connection, settings.FullPath);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Inserts a new instance and its first entries in one transaction.</summary>
    /// <exception cref="ConcurrencyException">The id exists.</exception>
    public void Create(WorkflowInstance instance, string document, IReadOnlyList<JournalEntry> entries)
    {
        using var transaction = _connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
        var inserted = Execute(
            _insertInstance,
            transaction,
            instance.Id.Value,
            instance.WorkflowId,
            ColumnText.FromStatus(instance.Status),
            ColumnText.FromTime(instance.CreatedAt),
            ColumnText.FromTime(instance.UpdatedAt),
            ColumnText.FromTime(instance.DueAt),
            document);
        if (inserted == 0)
        {
            throw new ConcurrencyException($"Instance {instance.Id} already exists.");
        }

        Append(transaction, instance.Id, entries);
        transaction.Commit();
    }

    /// <summary>Replaces the document if its version is still <paramref name="expected"/>, and appends the entries, in one transaction.</summary>
    /// <exception cref="ConcurrencyException">Another writer saved first, or the instance does not exist; nothing was written.</exception>
    public void Save(WorkflowInstance instance, long expected, string document, IReadOnlyList<JournalEntry> entries)
    {
        using var transaction = _connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
        var updated = Execute(
            _updateInstance,
            transaction,
            instance.Id.Value,
            expected,
            ColumnText.FromStatus(instance.Status),
            ColumnText.FromTime(instance.UpdatedAt),
            ColumnText.FromTime(instance.DueAt),
            document);
        if (updated == 0)
        {
            _selectVersion.Transaction = transaction;
            _selectVersion.Parameters[0].Value = instance.Id.Value;
            throw _selectVersion.ExecuteScalar() is long stored
                ? new ConcurrencyException($"Instance {instance.Id} was changed by another writer (version {stored}, expected {expected}).")
                : new ConcurrencyException($"Instance {instance.Id} does not exist.");
        }

        Append(transaction, instance.Id, entries);
        transaction.Commit();
    }

    /// <summary>The stored version and document of an instance, or null.</summary>
    public (long Version, string Document)? Find(InstanceId id)
    {
        using var reader = Read(_selectInstance, id.Value);
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : null;
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
                ColumnText.ToTime(reader.GetString(1), _path),
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
                ColumnText.ToStatus(reader.GetString(2), _path),
                ColumnText.ToTime(reader.GetString(3), _path),
                ColumnText.ToTime(reader.GetString(4), _path)));
        }

        return list;
    }

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
        foreach (var command in new[] { _insertInstance, _updateInstance, _selectVersion, _insertEntry, _selectInstance, _selectJournal, _selectByPrefix, _listAll, _listByStatus })
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private void Append(SqliteTransaction transaction, InstanceId id, IReadOnlyList<JournalEntry> entries)
    {
        foreach (var e in entries)
        {
            Execute(_insertEntry, transaction, id.Value, e.Seq, ColumnText.FromTime(e.At), e.Kind, e.Actor, e.ActorSource, e.Step, e.Data, e.PreviousHash, e.Hash);
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
