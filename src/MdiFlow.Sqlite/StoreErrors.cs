using Microsoft.Data.Sqlite;
using MdiFlow.Storage;
using static SQLitePCL.raw;

namespace MdiFlow.Sqlite;

/// <summary>Every message the store gives when it cannot be used: what is wrong, where, and what to do.</summary>
internal static class StoreErrors
{
    private const string PointElsewhere = "Point --store at an MdiFlow store file, or at a new path to create one.";

    public static StoreException NotSqlite(string path) =>
        new($"'{path}' is not an MdiFlow store: it is not a SQLite database. {PointElsewhere}");

    public static StoreException ForeignDatabase(string path) =>
        new($"'{path}' is not an MdiFlow store: it is a SQLite database of another application. It was left untouched. {PointElsewhere}");

    public static StoreException Newer(string path, long schema, int supported) =>
        new($"'{path}' was written by a newer MdiFlow (schema {schema}; this version reads up to {supported}). Upgrade mdiflow, or point --store at another store. The file was left untouched.");

    public static StoreException OnNetworkFileSystem(string path, string where) =>
        new($"The store '{path}' is on {where}. SQLite's file locks do not hold across hosts there, so two hosts could write the store at once and corrupt it. Keep a SQLite store on a local disk of the one host that runs mdiflow, or share one store between hosts with PostgreSQL: --store 'postgres:Host=...;Database=...' (see docs/postgresql.md). Nothing was created or changed.");

    public static StoreException WorkersOnSeveralHosts(string path, string host, string other, DateTimeOffset seen, TimeSpan window) =>
        new($"The store '{path}' is used by the worker of another host, {other} (last seen {seen:u}), so this worker of {host} was refused. A SQLite store serves the workers of one host: its file locks do not hold across hosts, and a step that must run on one host needs a store every host reaches. Share one store between hosts with PostgreSQL: --store 'postgres:Host=...;Database=...' (see docs/postgresql.md). If {other}'s worker is gone for good (the file was moved, or the worker renamed), this host is admitted {window.TotalMinutes:0} minutes after it was last seen.");

    public static StoreException Missing(string path) =>
        new($"There is no MdiFlow store at '{path}' yet. Check --store (or MDIFLOW_STORE); a store is created by the first command that writes to it.");

    public static StoreException Older(string path, long schema, int current) =>
        new($"'{path}' was written by an older MdiFlow (schema {schema}; this version writes {current}). Run a command that changes an instance (resume, worker) once with an account that may write it, which upgrades it, then read it again.");

    public static StoreException ReadOnly(string path) =>
        new($"The store '{path}' was opened for reading only; this command cannot change it.");

    public static StoreException Unreadable(string path, Exception inner) =>
        new($"The store '{path}' cannot be read ({inner.Message}). Check that this account may read and write it, then try again.", inner);

    public static StoreException NoWriteAheadLog(string path, string? mode) =>
        new($"The store '{path}' cannot use write-ahead logging (it stays in '{mode}' mode). Keep the store on a local disk, not a network share.");

    public static StoreException Damaged(string path, string detail, Exception? inner = null) =>
        inner is null
            ? new($"The store '{path}' is damaged ({detail}). Restore it from a backup, or point --store at a new path to start a new store.")
            : new($"The store '{path}' is damaged ({detail}). Restore it from a backup, or point --store at a new path to start a new store.", inner);

    /// <summary>Turns an error of SQLite into a <see cref="StoreException"/> that names the file and what to do.</summary>
    public static StoreException Translate(SqliteException ex, StoreSettings settings)
    {
        var path = settings.FullPath;
        var detail = Describe(ex);
        return (ex.SqliteErrorCode & 0xFF) switch
        {
            SQLITE_BUSY or SQLITE_LOCKED => new StoreException(
                $"The store '{path}' is locked by another process and stayed locked for longer than {settings.DescribeBusyTimeout()}. Wait for the other mdiflow process to finish (or stop it), then try again.", ex),
            SQLITE_CORRUPT or SQLITE_NOTADB => Damaged(path, detail, ex),
            SQLITE_CANTOPEN => new StoreException(
                $"The store '{path}' cannot be opened ({detail}). Check that its folder exists and that this account may read and write there.", ex),
            SQLITE_READONLY or SQLITE_PERM or SQLITE_AUTH => new StoreException(
                $"The store '{path}' cannot be written by this account ({detail}). Give it write access to the file and its folder, or point --store at a writable path.", ex),
            SQLITE_FULL => new StoreException(
                $"The disk that holds the store '{path}' is full. Free some space, then try again.", ex),
            SQLITE_IOERR => new StoreException(
                $"A disk error occurred on the store '{path}' ({detail}). Check the disk, then try again.", ex),
            _ => new StoreException($"The store '{path}' failed: {ex.Message}", ex),
        };
    }

    private static string Describe(SqliteException ex)
    {
        var text = sqlite3_errstr(ex.SqliteExtendedErrorCode).utf8_to_string();
        return string.IsNullOrEmpty(text) ? $"SQLite error {ex.SqliteErrorCode}" : text;
    }
}
