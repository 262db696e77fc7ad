namespace MdiFlow.Journal;

/// <summary>
/// Where a store's journal key comes from, loaded once on first use: a key file (created with the store), or a key
/// given in code. Registered by the store's builder extension (<c>UseSqlite</c> keeps the key beside its file as
/// <c>STORE.key</c> unless told otherwise).
/// </summary>
public sealed class JournalKeyProvider
{
    private readonly string? _path;
    private readonly Lock _gate = new();
    private JournalKey? _key;

    private JournalKeyProvider(string? path, JournalKey? key)
    {
        _path = path;
        _key = key;
    }

    /// <summary>The key file, or null when the key is held in memory.</summary>
    public string? Path => _path;

    /// <summary>
    /// The host's journal key an administrator installed for every store on this host (<c>/etc/mdiflow/journal.key</c>;
    /// <c>%ProgramData%\MdiFlow\journal.key</c> on Windows): the place for the key of a store several people use, out of
    /// reach of anyone who may write the store's folder.
    /// </summary>
    public static string SystemPath { get; } = OperatingSystem.IsWindows()
        ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "MdiFlow", "journal.key")
        : "/etc/mdiflow/journal.key";

    /// <summary>
    /// The key of a store kept in a file: the host's key (<see cref="SystemPath"/>) when an administrator installed one,
    /// else <paramref name="besideStore"/> (for example the store's path with <c>.key</c> appended), created owner-only on first write.
    /// </summary>
    public static JournalKeyProvider ForStore(string besideStore)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(besideStore);
        return FromFile(File.Exists(SystemPath) ? SystemPath : besideStore);
    }

    /// <summary>The key in the file at <paramref name="path"/>, created there on first write when missing.</summary>
    public static JournalKeyProvider FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new(System.IO.Path.GetFullPath(path), null);
    }

    /// <summary>A key given in code (for example <see cref="JournalKey.Generate"/> for an in-memory store).</summary>
    public static JournalKeyProvider From(JournalKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(null, key);
    }

    /// <summary>The key, for writing: the key file is created (owner-only) when it does not exist yet.</summary>
    /// <exception cref="JournalKeyException">The key cannot be read, created or trusted.</exception>
    public JournalKey Get()
    {
        lock (_gate)
        {
            return _key ??= JournalKey.LoadOrCreate(_path!);
        }
    }

    /// <summary>The key for reading, or null (with why) when it does not exist or this account cannot read it.</summary>
    /// <exception cref="JournalKeyException">The key exists but cannot be trusted (others may change it).</exception>
    public JournalKey? TryGet(out string? problem)
    {
        problem = null;
        lock (_gate)
        {
            if (_key is not null)
            {
                return _key;
            }

            if (!File.Exists(_path))
            {
                problem = $"the journal key '{_path}' does not exist";
                return null;
            }

            try
            {
                return _key = JournalKey.Load(_path!);
            }
            catch (JournalKeyException ex) when (ex.InnerException is UnauthorizedAccessException or IOException)
            {
                problem = ex.Message;
                return null;
            }
        }
    }
}
