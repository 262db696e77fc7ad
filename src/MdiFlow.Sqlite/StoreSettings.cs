using System.Globalization;
using MdiFlow.Journal;
using Microsoft.Data.Sqlite;

namespace MdiFlow.Sqlite;

/// <summary>A store's options, resolved and frozen when the store is created.</summary>
internal sealed class StoreSettings
{
    public StoreSettings(SqliteStoreOptions options, JournalKeyProvider? keys = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        FullPath = System.IO.Path.GetFullPath(options.Path);
        Synchronous = options.Synchronous;
        BusyTimeout = options.BusyTimeout;
        ReadMountInfo = options.ReadMountInfo;
        ReadOnly = options.ReadOnly;
        Keys = keys ?? (options.KeyFile is { } file ? JournalKeyProvider.FromFile(file) : JournalKeyProvider.ForStore(FullPath + ".key"));
    }

    /// <summary>The store file, absolute, as it appears in every message.</summary>
    public string FullPath { get; }

    /// <summary>Where the store's journal key comes from.</summary>
    public JournalKeyProvider Keys { get; }

    /// <summary>Opened for reading only.</summary>
    public bool ReadOnly { get; }

    public SqliteSynchronous Synchronous { get; }

    /// <summary>Reads the mount table (<c>/proc/self/mountinfo</c>), to refuse a path on a network file system.</summary>
    public Func<string?> ReadMountInfo { get; }

    public TimeSpan BusyTimeout { get; }

    public int BusyTimeoutMilliseconds => (int)Math.Ceiling(BusyTimeout.TotalMilliseconds);

    /// <summary>The busy timeout as Microsoft.Data.Sqlite's own retry loop counts it: whole seconds, never 0 (which means forever).</summary>
    private int CommandTimeoutSeconds => Math.Max(1, (int)Math.Ceiling(BusyTimeout.TotalSeconds));

    public string SynchronousPragma => Synchronous == SqliteSynchronous.Normal ? "NORMAL" : "FULL";

    /// <summary>
    /// A connection string for the file. Pooling is off: a store keeps its one connection for its
    /// lifetime, and disposing it must really close the file.
    /// </summary>
    public string ConnectionString(SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = FullPath,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = CommandTimeoutSeconds,
    }.ToString();

    /// <summary>
    /// A read-only connection string. <paramref name="immutable"/> opens the file as a URI with
    /// <c>immutable=1</c>: no locks, no -wal or -shm file, for a file nobody else is writing.
    /// </summary>
    public string ReadOnlyConnectionString(bool immutable) => new SqliteConnectionStringBuilder
    {
        DataSource = immutable ? new Uri(FullPath).AbsoluteUri + "?immutable=1" : FullPath,
        Mode = SqliteOpenMode.ReadOnly,
        Pooling = false,
        DefaultTimeout = CommandTimeoutSeconds,
    }.ToString();

    /// <summary>The busy timeout as a person reads it.</summary>
    public string DescribeBusyTimeout() => BusyTimeout.TotalSeconds >= 1 && BusyTimeout.Milliseconds == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{BusyTimeout.TotalSeconds:0.###} s")
        : string.Create(CultureInfo.InvariantCulture, $"{BusyTimeout.TotalMilliseconds:0.###} ms");
}
