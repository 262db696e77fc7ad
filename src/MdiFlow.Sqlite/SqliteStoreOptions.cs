namespace MdiFlow.Sqlite;

/// <summary>Where the SQLite store lives and how it trades durability for speed.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The store file; created with its schema on first use. Relative paths resolve against the current directory.</summary>
    public string Path { get; set; } = "";

    /// <summary>
    /// How hard a commit waits for the disk. <see cref="SqliteSynchronous.Full"/> (the default) survives
    /// a power loss; <see cref="SqliteSynchronous.Normal"/> survives a process crash only.
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>
    /// How long an operation waits for another process that holds the store's write lock before it fails
    /// with a <see cref="MdiFlow.Storage.StoreException"/>. Five seconds by default.
    /// </summary>
    /// <remarks>
    /// SQLite waits this long (<c>PRAGMA busy_timeout</c>); Microsoft.Data.Sqlite then retries in whole seconds,
    /// so a timeout under a second waits about one second.
    /// </remarks>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The journal key file: it keys the journal and seals the stored state, and must stay out of the reach of whoever
    /// may only write the store. Default: the host's key (<see cref="Journal.JournalKeyProvider.SystemPath"/>) when an
    /// administrator installed one, else the store's path with <c>.key</c> appended, created owner-only with the store.
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// Open the store for reading only (an auditor's <c>list</c>, <c>show</c>, <c>audit</c>): nothing is created or
    /// migrated, a store in a folder this account cannot write can still be read, and every write is refused.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>Reads the mount table that tells whether the path is on a network file system (tests give a fixture).</summary>
    internal Func<string?> ReadMountInfo { get; set; } = NetworkPaths.ReadMountInfo;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">Any option is wrong; the message lists every mistake.</exception>
    internal void Validate()
    {
        if (Mistakes() is { Count: > 0 } mistakes)
        {
            throw new ArgumentException(string.Join(" ", mistakes));
        }
    }

    /// <summary>Every mistake in the options, each a sentence.</summary>
    internal List<string> Mistakes()
    {
        var mistakes = new List<string>();
        if (string.IsNullOrWhiteSpace(Path))
        {
            mistakes.Add("The SQLite store needs a file path: set SqliteStoreOptions.Path.");
        }

        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            mistakes.Add($"SqliteStoreOptions.BusyTimeout must be positive and at most {TimeSpan.FromMilliseconds(int.MaxValue)}; it is {BusyTimeout}.");
        }

        if (!Enum.IsDefined(Synchronous))
        {
            mistakes.Add($"SqliteStoreOptions.Synchronous has no value {(int)Synchronous}; use Full or Normal.");
        }

        if (KeyFile is { } key && string.IsNullOrWhiteSpace(key))
        {
            mistakes.Add("SqliteStoreOptions.KeyFile is empty; leave it unset for the default key, or give the key file's path.");
        }

        return mistakes;
    }
}

/// <summary>Checks <see cref="SqliteStoreOptions"/> when the host starts, every mistake at once.</summary>
internal sealed class SqliteStoreOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SqliteStoreOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mistakes = options.Mistakes();
        return mistakes.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(mistakes);
    }
}

/// <summary>SQLite's <c>synchronous</c> setting for the store's write-ahead log.</summary>
public enum SqliteSynchronous
{
    /// <summary>Every commit is flushed to the disk: a committed transition survives a power loss (<c>synchronous=FULL</c>).</summary>
    Full,

    /// <summary>Commits are flushed at checkpoints: faster, and a power loss may undo the last commits (<c>synchronous=NORMAL</c>).</summary>
    Normal,
}
