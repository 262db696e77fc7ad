using Microsoft.Data.Sqlite;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in write-ahead-log mode, each save one durable transaction,
/// the schema versioned and migrated forward.
/// </summary>
/// <remarks>
/// <para>
/// The file is opened on first use (or by <see cref="OpenAsync"/>). An existing file is checked before it is
/// opened for writing: a file that is not SQLite, a SQLite database of another application, or a store written
/// by a newer MdiFlow is refused with a <see cref="StoreException"/> and left untouched.
/// </para>
/// <para>
/// One store keeps one connection and runs one operation at a time. Several stores, in this process or in
/// others, may share a file: SQLite serializes their writes, a writer waits up to
/// <see cref="SqliteStoreOptions.BusyTimeout"/> for another, and the version column lets exactly one of two
/// saves of the same version win.
/// </para>
/// </remarks>
public sealed class SqliteWorkflowStore : IWorkflowStore, IDisposable
{
    private readonly StoreSettings _settings;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private InstanceCommands? _commands;
    private bool _disposed;

    /// <summary>Creates a store over the file at <paramref name="path"/>, with the default options.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public SqliteWorkflowStore(string path)
        : this(new SqliteStoreOptions { Path = path })
    {
    }

    /// <summary>Creates a store with the given options. Nothing is opened until the first operation.</summary>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public SqliteWorkflowStore(SqliteStoreOptions options) => _settings = new StoreSettings(options);

    /// <summary>The store file, as an absolute path.</summary>
    public string Path => _settings.FullPath;

    /// <summary>Opens, checks and migrates the store now rather than at its first operation; does nothing if it is open.</summary>
    /// <exception cref="StoreException">The file cannot be used: see the message for why and what to do.</exception>
    public async ValueTask OpenAsync(CancellationToken cancellationToken = default) =>
        await RunAsync(_ => true, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask CreateAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(entries);
        var document = SerializeAt(instance, version: 1);
        await RunAsync(c => c.Create(instance, document, entries), cancellationToken).ConfigureAwait(false);
        instance.Version = 1;
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(entries);
        var expected = instance.Version;
        var document = SerializeAt(instance, expected + 1);
        await RunAsync(c => c.Save(instance, expected, document, entries), cancellationToken).ConfigureAwait(false);
        instance.Version = expected + 1;
    }

    /// <inheritdoc />
    public async ValueTask<WorkflowInstance?> FindAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        var row = await RunAsync(c => c.Find(id), cancellationToken).ConfigureAwait(false);
        if (row is not { } found)
        {
            return null;
        }

        WorkflowInstance instance;
        try
        {
            instance = InstanceDocument.Deserialize(found.Document);
        }
        catch (StoreException ex)
        {
            throw StoreErrors.Damaged(Path, $"instance {id}: {ex.Message}", ex);
        }

        // The column is what optimistic concurrency compares; the document's copy is for people reading it.
        instance.Version = found.Version;
        return instance;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InstanceId>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return limit <= 0 ? [] : await RunAsync(c => c.FindByPrefix(prefix, limit), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InstanceSummary>> ListAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Limit <= 0 ? [] : await RunAsync(c => c.List(query), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JournalEntry>> ReadJournalAsync(InstanceId id, CancellationToken cancellationToken = default) =>
        RunAsync(c => c.ReadJournal(id), cancellationToken);

    /// <summary>Closes the store's connection. Operations after this throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _disposed = true;
            _commands?.Dispose();
            _commands = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads a pragma on the store's own connection (tests check WAL and durability with it).</summary>
    internal ValueTask<string?> ReadPragmaAsync(string name, CancellationToken cancellationToken = default) =>
        RunAsync(c => c.ReadPragma(name), cancellationToken);

    private static string SerializeAt(WorkflowInstance instance, long version)
    {
        // The stored document carries the version it is stored at; the caller's instance changes only on success.
        var current = instance.Version;
        instance.Version = version;
        try
        {
            return InstanceDocument.Serialize(instance);
        }
        finally
        {
            instance.Version = current;
        }
    }

    private ValueTask<bool> RunAsync(Action<InstanceCommands> work, CancellationToken cancellationToken) =>
        RunAsync(
            c =>
            {
                work(c);
                return true;
            },
            cancellationToken);

    private async ValueTask<T> RunAsync<T>(Func<InstanceCommands, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _commands ??= InstanceCommands.Open(_settings);
            return work(_commands);
        }
        catch (SqliteException ex)
        {
            // A connection that failed for another reason than a lock is closed: the next operation opens
            // the file again and checks it afresh.
            if ((ex.SqliteErrorCode & 0xFF) is not (SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED))
            {
                _commands?.Dispose();
                _commands = null;
            }

            throw StoreErrors.Translate(ex, _settings);
        }
        finally
        {
            _gate.Release();
        }
    }
}
