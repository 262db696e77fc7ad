using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Schema;
using MdiFlow.PostgreSql.Writing;
using MdiFlow.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql;

/// <summary>
/// The store many hosts share: instances and journals in one PostgreSQL database, each save durable before it
/// returns, the schema versioned and migrated forward, and a journal the application role can only insert into.
/// </summary>
/// <remarks>
/// <para>
/// The database is checked on first use (or by <see cref="OpenAsync"/>): a database of another application, or a
/// store written by a newer MdiFlow, is refused with a <see cref="StoreException"/> and left untouched. A new or
/// older store is migrated in one transaction under an advisory lock, by an account that may act as the owner role.
/// </para>
/// <para>
/// Saves of different instances that arrive together are committed together, in one transaction (group commit):
/// each has its own version check and journal rows and fails alone on a conflict, and all of them become durable
/// at once. Several stores, in this process or on other hosts, may share a database: the version column lets
/// exactly one of two saves of the same version win. Each definition is stored once, under its hash.
/// </para>
/// <para>Messages name the host, port, database and user, never the password.</para>
/// </remarks>
public sealed class PostgreSqlWorkflowStore : IWorkflowStore, IAsyncDisposable, IDisposable
{
    /// <summary>Distinct definitions kept parsed; past this the cache starts over rather than grow without end.</summary>
    private const int DefinitionCapacity = 256;

    private readonly StoreSettings _settings;
    private readonly NpgsqlDataSource _dataSource;
    private readonly WriteBatcher _writer;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private readonly ConcurrentDictionary<string, JsonObject> _definitions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _storedDefinitions = new(StringComparer.Ordinal);
    private volatile bool _opened;
    private volatile bool _disposed;

    /// <summary>The fingerprint of the store's journal key as the database records it, once open.</summary>
    private string? _storeKey;

    /// <summary>Creates a store over the database of <paramref name="connectionString"/>, with the default roles.</summary>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public PostgreSqlWorkflowStore(string connectionString)
        : this(new PostgreSqlStoreOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>Creates a store with the given options. Nothing is opened until the first operation.</summary>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public PostgreSqlWorkflowStore(PostgreSqlStoreOptions options)
        : this(options, null)
    {
    }

    /// <summary>Creates a store whose journal key comes from <paramref name="keys"/> (the one the engine uses too).</summary>
    internal PostgreSqlWorkflowStore(PostgreSqlStoreOptions options, JournalKeyProvider? keys)
    {
        _settings = new StoreSettings(options, keys);
        _dataSource = _settings.CreateDataSource();
        _writer = new WriteBatcher(_settings, _dataSource);
    }

    /// <summary>The store's journal key (<see cref="PostgreSqlStoreOptions.KeyFile"/>, by default the host's key).</summary>
    public JournalKeyProvider Keys => _settings.Keys;

    /// <summary>Where the store is, as messages name it: <c>database 'mdiflow' on db01:5432 as 'dc01_worker'</c> (never the password).</summary>
    public string Description => _settings.Address.Description;

    /// <summary>Checks the database and migrates it now rather than at the first operation; does nothing once it is open.</summary>
    /// <exception cref="StoreException">The database cannot be used: see the message for why and what to do.</exception>
    public async ValueTask OpenAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_opened)
        {
            return;
        }

        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_opened)
            {
                _storeKey = await ReadAsync(
                    connection => _settings.ReadOnly
                        ? SchemaMigrator.CheckAsync(connection, _settings, cancellationToken)
                        : SchemaMigrator.MigrateAsync(connection, _settings, cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                _ = ReadKey();
                _opened = true;
            }
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask CreateAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(entries);
        RefuseWhenReadOnly();
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        var hash = instance.DefinitionHash;
        var stored = _storedDefinitions.ContainsKey(hash) || _definitions.ContainsKey(hash);
        var write = Write(instance, expected: 0, entries, definition: stored ? null : instance.Definition.ToJsonString());
        await _writer.WriteAsync(write, cancellationToken).ConfigureAwait(false);
        instance.Version = 1;
        if (!stored)
        {
            Remember(_storedDefinitions, hash, true);
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(entries);
        RefuseWhenReadOnly();
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        var expected = instance.Version;
        await _writer.WriteAsync(Write(instance, expected, entries, definition: null), cancellationToken).ConfigureAwait(false);
        instance.Version = expected + 1;
    }

    /// <inheritdoc />
    public async ValueTask<WorkflowInstance?> FindAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        var (row, definition) = await ReadAsync(async connection =>
        {
            var row = await InstanceReads.FindAsync(connection, id, cancellationToken).ConfigureAwait(false);
            return row is { } r ? (row, await DefinitionAsync(connection, r.DefinitionHash, cancellationToken).ConfigureAwait(false)) : default;
        }, cancellationToken).ConfigureAwait(false);
        return row is { } found ? Materialize(id, found, definition) : null;
    }

    /// <inheritdoc />
    /// <remarks>One statement: the row and its journal's tail come from the same snapshot.</remarks>
    public async ValueTask<(WorkflowInstance? Instance, JournalTail? Tail)> FindWithJournalTailAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        var (found, definition) = await ReadAsync(async connection =>
        {
            var found = await InstanceReads.FindWithTailAsync(connection, id, cancellationToken).ConfigureAwait(false);
            return found is { } f ? (found, await DefinitionAsync(connection, f.Row.DefinitionHash, cancellationToken).ConfigureAwait(false)) : default;
        }, cancellationToken).ConfigureAwait(false);
        return found is { } f ? (Materialize(id, f.Row, definition), f.Tail) : (null, null);
    }

    /// <summary>The instance a stored row holds, once its seal, document and columns agree.</summary>
    private WorkflowInstance Materialize(InstanceId id, StoredRow found, JsonObject? definition) =>
        StoredInstances.Open(id, found, ColumnValues.ToStatus(found.Status, _settings), definition, ReadKey(), $"the {Description}", (detail, inner) => StoreErrors.Damaged(_settings, detail, inner));

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InstanceId>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (limit <= 0)
        {
            return [];
        }

        await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(c => InstanceReads.FindByPrefixAsync(c, prefix, limit, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InstanceSummary>> ListAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit <= 0)
        {
            return [];
        }

        await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(c => InstanceReads.ListAsync(c, query, _settings, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JournalEntry>> ReadJournalAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(c => InstanceReads.ReadJournalAsync(c, id, _settings, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<JournalTail?> ReadJournalTailAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(c => InstanceReads.FindTailAsync(c, id, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RunnableInstance>> FindRunnableAsync(DateTimeOffset now, string host, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (limit <= 0)
        {
            return [];
        }

        await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(c => InstanceReads.FindRunnableAsync(c, now, host, limit, _settings, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The worker processes that use the store, from their heartbeats (newest first): which host each serves, and
    /// whether it is alive. A host-affine step waits for a live worker of its host.
    /// </summary>
    /// <exception cref="StoreException">The store cannot be used.</exception>
    public async ValueTask<IReadOnlyList<WorkerHeartbeat>> ReadWorkersAsync(TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        var now = (time ?? TimeProvider.System).GetUtcNow();
        return await ReadAsync(c => WakeUps.WorkerHeartbeats.ReadAsync(c, _settings, now, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The store's connections (the wake-up listener keeps one of them).</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Finishes the commit under way, fails the writes still queued and closes every connection. Operations after this throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _opening.Dispose();
    }

    /// <summary>Like <see cref="DisposeAsync"/>, waiting for it.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>A setting of the connection that commits the store's writes (tests check durability with it).</summary>
    internal async Task<string?> ReadWriterSettingAsync(string name)
    {
        await OpenAsync().ConfigureAwait(false);
        return await _writer.ReadSettingAsync(name).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="read"/> on a pooled connection, turning Npgsql's errors into store errors.</summary>
    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await read(connection).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw StoreErrors.Translate(ex, _settings);
        }
    }

    /// <summary>Everything a write needs, taken from the instance now: the caller's instance changes only once it is durable.</summary>
    private PendingWrite Write(WorkflowInstance instance, long expected, IReadOnlyList<JournalEntry> entries, string? definition)
    {
        var document = StoredInstances.SerializeAt(instance, expected + 1);
        return new()
        {
            Id = instance.Id,
            Expected = expected,
            WorkflowId = instance.WorkflowId,
            DefinitionHash = instance.DefinitionHash,
            Definition = definition,
            Document = document,
            Seal = InstanceDocument.Seal(WriteKey(), instance.Id, document),
            Status = instance.Status,
            CreatedAt = instance.CreatedAt,
            UpdatedAt = instance.UpdatedAt,
            DueAt = instance.DueAt,
            Token = LeaseFence.TokenOf(instance),
            LeaseToken = instance.LeaseToken,
            WakeAt = RunnableIndex.WakeAt(instance),
            RequiredHost = RunnableIndex.RequiredHost(instance),
            Entries = [.. entries],
        };
    }

    /// <summary>The key to write with: this host's key, which must be the store's (a host with another key writes nothing).</summary>
    private JournalKey WriteKey()
    {
        var key = _settings.Keys.Get();
        return _storeKey is { } recorded && recorded != key.Id ? throw StoreErrors.OtherKey(_settings, key, recorded) : key;
    }

    /// <summary>The key to check reads with, or null when this account cannot read it; another key than the store's is refused.</summary>
    private JournalKey? ReadKey()
    {
        var key = _settings.Keys.TryGet(out _);
        return key is not null && _storeKey is { } recorded && recorded != key.Id ? throw StoreErrors.OtherKey(_settings, key, recorded) : key;
    }

    private void RefuseWhenReadOnly()
    {
        if (_settings.ReadOnly)
        {
            throw StoreErrors.ReadOnly(_settings);
        }
    }

    /// <summary>The definition stored under a hash, parsed once per store (stored definitions never change).</summary>
    private async Task<JsonObject?> DefinitionAsync(NpgsqlConnection connection, string hash, CancellationToken cancellationToken)
    {
        if (_definitions.TryGetValue(hash, out var known))
        {
            return known;
        }

        if (await InstanceReads.FindDefinitionAsync(connection, hash, cancellationToken).ConfigureAwait(false) is not { } text)
        {
            return null;
        }

        var definition = StoredInstances.ParseDefinition(hash, text, (detail, inner) => StoreErrors.Damaged(_settings, detail, inner));
        return Remember(_definitions, hash, definition);
    }

    private static T Remember<T>(ConcurrentDictionary<string, T> cache, string hash, T value)
    {
        if (cache.Count >= DefinitionCapacity)
        {
            cache.Clear();
        }

        return cache.GetOrAdd(hash, value);
    }
}
