using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in write-ahead-log mode, each save durable before it returns,
/// the schema versioned and migrated forward.
/// </summary>
/// <remarks>
/// <para>
/// The file is opened on first use (or by <see cref="OpenAsync"/>). An existing file is checked before it is
/// opened for writing: a file that is not SQLite, a SQLite database of another application, or a store written
/// by a newer MdiFlow is refused with a <see cref="StoreException"/> and left untouched.
/// </para>
/// <para>
/// One store keeps one connection, used by one thread of its own. Saves of different instances that arrive
/// together are committed together, in one transaction (group commit): each has its own version check and
/// journal rows and fails alone on a conflict, and all of them become durable at once. A save that arrives
/// alone is committed alone, so one instance still costs one durable commit per transition.
/// </para>
/// <para>
/// Several stores, in this process or in others, may share a file: SQLite serializes their writes, a writer
/// waits up to <see cref="SqliteStoreOptions.BusyTimeout"/> for another, and the version column lets exactly one
/// of two saves of the same version win. Each definition is stored once, under its hash.
/// </para>
/// </remarks>
public sealed class SqliteWorkflowStore : IWorkflowStore, ISingleHostStore, IDisposable
{
    /// <summary>Distinct definitions kept parsed; past this the cache starts over rather than grow without end.</summary>
    private const int DefinitionCapacity = 256;

    private readonly StoreSettings _settings;
    private readonly StoreWorker _worker;
    private readonly ConcurrentDictionary<string, JsonObject> _definitions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _storedDefinitions = new(StringComparer.Ordinal);

    /// <summary>Creates a store over the file at <paramref name="path"/>, with the default options.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public SqliteWorkflowStore(string path)
        : this(new SqliteStoreOptions { Path = path })
    {
    }

    /// <summary>Creates a store with the given options. Nothing is opened until the first operation.</summary>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public SqliteWorkflowStore(SqliteStoreOptions options)
        : this(options, null)
    {
    }

    /// <summary>Creates a store whose journal key comes from <paramref name="keys"/> (the one the engine uses too).</summary>
    internal SqliteWorkflowStore(SqliteStoreOptions options, JournalKeyProvider? keys)
    {
        _settings = new StoreSettings(options, keys);
        _worker = new StoreWorker(_settings);
    }

    /// <summary>The store file, as an absolute path.</summary>
    public string Path => _settings.FullPath;

    /// <summary>The store's journal key (its file is <see cref="SqliteStoreOptions.KeyFile"/>, by default beside the store).</summary>
    public JournalKeyProvider Keys => _settings.Keys;

    /// <summary>Opens, checks and migrates the store now rather than at its first operation; does nothing if it is open.</summary>
    /// <exception cref="StoreException">The file cannot be used: see the message for why and what to do.</exception>
    public async ValueTask OpenAsync(CancellationToken cancellationToken = default) =>
        await _worker.RunAsync(_ => true, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask CreateAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(entries);
        RefuseWhenReadOnly();
        var hash = instance.DefinitionHash;
        var stored = _storedDefinitions.ContainsKey(hash) || _definitions.ContainsKey(hash);
        var write = Write(instance, expected: 0, entries, definition: stored ? null : instance.Definition.ToJsonString());
        await _worker.WriteAsync(write, cancellationToken).ConfigureAwait(false);
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
        var expected = instance.Version;
        await _worker.WriteAsync(Write(instance, expected, entries, definition: null), cancellationToken).ConfigureAwait(false);
        instance.Version = expected + 1;
    }

    /// <inheritdoc />
    public async ValueTask<WorkflowInstance?> FindAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        var found = await _worker.RunAsync(c => c.Find(id) is { } row ? (Row: row, Definition: Definition(c, row.DefinitionHash)) : default, cancellationToken).ConfigureAwait(false);
        return found.Row is { } row ? Materialize(id, row, found.Definition) : null;
    }

    /// <inheritdoc />
    /// <remarks>One turn of the store's connection: the tail is read right after the row, with no write of this store between them.</remarks>
    public async ValueTask<(WorkflowInstance? Instance, JournalTail? Tail)> FindWithJournalTailAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        var found = await _worker.RunAsync(c => c.Find(id) is { } row ? (Row: row, Definition: Definition(c, row.DefinitionHash), Tail: c.FindTail(id)) : default, cancellationToken).ConfigureAwait(false);
        return found.Row is { } row ? (Materialize(id, row, found.Definition), found.Tail) : (null, null);
    }

    /// <summary>The instance a stored row holds, once its seal, document and columns agree.</summary>
    private WorkflowInstance Materialize(InstanceId id, StoredRow row, JsonObject? stored) =>
        StoredInstances.Open(id, row, ColumnText.ToStatus(row.Status, Path), stored, _settings.Keys.TryGet(out _), $"the store '{Path}'", (detail, inner) => StoreErrors.Damaged(Path, detail, inner));

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InstanceId>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return limit <= 0 ? [] : await _worker.RunAsync(c => c.FindByPrefix(prefix, limit), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InstanceSummary>> ListAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Limit <= 0 ? [] : await _worker.RunAsync(c => c.List(query), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JournalEntry>> ReadJournalAsync(InstanceId id, CancellationToken cancellationToken = default) =>
        await _worker.RunAsync(c => c.ReadJournal(id), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<JournalTail?> ReadJournalTailAsync(InstanceId id, CancellationToken cancellationToken = default) =>
        await _worker.RunAsync(c => c.FindTail(id), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RunnableInstance>> FindRunnableAsync(DateTimeOffset now, string host, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        return limit <= 0 ? [] : await _worker.RunAsync(c => c.FindRunnable(now, host, limit), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// SQLite serves the workers of one host: a worker of another host is refused while one was seen in the last two
    /// minutes, with a message that points to PostgreSQL. Host names compare without case.
    /// </remarks>
    public async ValueTask AdmitWorkerAsync(string host, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        await _worker.RunAsync(c =>
        {
            c.AdmitWorker(host, now);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the store's connection. Operations after this throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _worker.Dispose();

    /// <summary>Reads a pragma on the store's own connection (tests check WAL and durability with it).</summary>
    internal async ValueTask<string?> ReadPragmaAsync(string name, CancellationToken cancellationToken = default) =>
        await _worker.RunAsync(c => c.ReadPragma(name), cancellationToken).ConfigureAwait(false);

    /// <summary>Everything a write needs, taken from the instance now: the caller's instance changes only once it is durable.</summary>
    private PendingWrite Write(WorkflowInstance instance, long expected, IReadOnlyList<JournalEntry> entries, string? definition)
    {
        var document = StoredInstances.SerializeAt(instance, expected + 1);
        return new()
        {
            Instance = instance,
            Expected = expected,
            Document = document,
            Seal = InstanceDocument.Seal(_settings.Keys.Get(), instance.Id, document),
            LeaseToken = LeaseFence.TokenOf(instance),
            Definition = definition,
            Status = instance.Status,
            UpdatedAt = instance.UpdatedAt,
            DueAt = instance.DueAt,
            WakeAt = RunnableIndex.WakeAt(instance),
            RequiredHost = RunnableIndex.RequiredHost(instance),
            Entries = entries,
        };
    }

    private void RefuseWhenReadOnly()
    {
        if (_settings.ReadOnly)
        {
            throw StoreErrors.ReadOnly(Path);
        }
    }

    /// <summary>The definition stored under a hash, parsed once per store (stored definitions never change).</summary>
    private JsonObject? Definition(InstanceCommands commands, string hash)
    {
        if (_definitions.TryGetValue(hash, out var known))
        {
            return known;
        }

        if (commands.FindDefinition(hash) is not { } text)
        {
            return null;
        }

        var definition = StoredInstances.ParseDefinition(hash, text, (detail, inner) => StoreErrors.Damaged(Path, detail, inner));
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
