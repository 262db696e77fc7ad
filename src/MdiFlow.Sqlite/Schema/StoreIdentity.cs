using Microsoft.Data.Sqlite;

namespace MdiFlow.Sqlite.Schema;

/// <summary>
/// Decides whether an existing file may be opened for writing, without changing it: a file that is not
/// SQLite, a SQLite database of another application, or a store of a newer MdiFlow is refused untouched.
/// </summary>
internal static class StoreIdentity
{
    private static ReadOnlySpan<byte> SqliteHeader => "SQLite format 3\0"u8;

    /// <summary>
    /// Checks the file at the store's path, if there is one with content, before anything opens it for writing;
    /// throws a <see cref="Storage.StoreException"/> to refuse it.
    /// </summary>
    public static void Inspect(StoreSettings settings)
    {
        var file = new FileInfo(settings.FullPath);
        if (!file.Exists || file.Length == 0)
        {
            return;
        }

        // Read the header ourselves: SQLite would happily turn some files into databases.
        if (!HasSqliteHeader(settings.FullPath))
        {
            throw StoreErrors.NotSqlite(settings.FullPath);
        }

        // Without a write-ahead log next to it, everything is in the file itself: read it as immutable, so
        // that not even an empty -wal or -shm file appears beside a file we refuse. With a log, someone is
        // using the database and those files exist already. (SQLite refuses URIs naming a server.)
        var immutable = !File.Exists(settings.FullPath + "-wal") && !new Uri(settings.FullPath).IsUnc;
        using var connection = new SqliteConnection(settings.ReadOnlyConnectionString(immutable));
        connection.Open();
        Judge(Read(connection, transaction: null), settings.FullPath);
    }

    /// <summary>The facts that tell whose database this is.</summary>
    public static StoreFacts Read(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT (SELECT application_id FROM pragma_application_id),
                   (SELECT user_version FROM pragma_user_version),
                   (SELECT count(*) FROM sqlite_master WHERE type = 'table')
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return new StoreFacts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Refuses a database that is not an MdiFlow store, or one of a newer schema.</summary>
    public static void Judge(StoreFacts facts, string path)
    {
        if (!facts.IsMdiFlowStore && !facts.IsBlank)
        {
            throw StoreErrors.ForeignDatabase(path);
        }

        if (facts.IsMdiFlowStore && facts.UserVersion > StoreSchema.CurrentVersion)
        {
            throw StoreErrors.Newer(path, facts.UserVersion, StoreSchema.CurrentVersion);
        }
    }

    private static bool HasSqliteHeader(string path)
    {
        Span<byte> header = stackalloc byte[16];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length
                && header.SequenceEqual(SqliteHeader);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Unreadable(path, ex);
        }
    }
}

/// <summary>What a database says about itself.</summary>
/// <param name="ApplicationId">Its <c>PRAGMA application_id</c>.</param>
/// <param name="UserVersion">Its <c>PRAGMA user_version</c>: for an MdiFlow store, the schema version.</param>
/// <param name="TableCount">How many tables it has.</param>
internal readonly record struct StoreFacts(long ApplicationId, long UserVersion, long TableCount)
{
    /// <summary>Marked as an MdiFlow store.</summary>
    public bool IsMdiFlowStore => ApplicationId == StoreSchema.ApplicationId;

    /// <summary>Nobody's database yet: no application id and no tables.</summary>
    public bool IsBlank => ApplicationId == 0 && TableCount == 0;

    /// <summary>The schema version migrations start from.</summary>
    public long SchemaVersion => IsMdiFlowStore ? UserVersion : 0;
}
