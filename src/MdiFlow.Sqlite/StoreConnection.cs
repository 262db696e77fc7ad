using Microsoft.Data.Sqlite;
using MdiFlow.Security;
using MdiFlow.Sqlite.Schema;
using static SQLitePCL.raw;

namespace MdiFlow.Sqlite;

/// <summary>Opens a store's connection: refuse a network path, check the file untouched, then WAL, durability, foreign keys, migrations.</summary>
internal static class StoreConnection
{
    /// <summary>Opens the store file for reading and writing (creating it owner-only if it does not exist), or for reading only.</summary>
    /// <exception cref="Storage.StoreException">The file is on a network file system, is not an MdiFlow store, or is newer (or, read-only, missing or older).</exception>
    /// <exception cref="SqliteException">SQLite failed; the caller translates it.</exception>
    public static SqliteConnection Open(StoreSettings settings)
    {
        // SQLite's locks do not hold across hosts on a network file system: two hosts could write at once and corrupt the store.
        if (NetworkPaths.Describe(settings.FullPath, settings.ReadMountInfo) is { } network)
        {
            throw StoreErrors.OnNetworkFileSystem(settings.FullPath, network);
        }

        if (settings.ReadOnly)
        {
            return OpenForReading(settings);
        }

        CreateOwnerOnly(settings.FullPath);
        StoreIdentity.Inspect(settings);

        // Another account opening a shared store at this moment creates its -wal and -shm files, and SQLite
        // gives them the store's mode just after creating them: an open that falls in that gap sees them
        // read-only. That passes within moments, as a lock does, so it is waited for as long as a lock is.
        var deadline = Environment.TickCount64 + settings.BusyTimeoutMilliseconds;
        for (var wait = 5; ; wait = Math.Min(wait * 2, 100))
        {
            try
            {
                return OpenForWriting(settings);
            }
            catch (SqliteException ex) when ((ex.SqliteErrorCode & 0xFF) == SQLITE_READONLY
                && Environment.TickCount64 < deadline && MayWrite(settings.FullPath))
            {
#pragma warning disable RS0030 // Another process's moment, in real time, as SQLite's own busy handler waits for a lock.
                Thread.Sleep(wait);
#pragma warning restore RS0030
            }
        }
    }

    private static SqliteConnection OpenForWriting(StoreSettings settings)
    {
        var connection = new SqliteConnection(settings.ConnectionString(SqliteOpenMode.ReadWriteCreate));
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {settings.BusyTimeoutMilliseconds};");

            // Judge again with locks before the first write: the check above may have read the file while
            // another process changed it.
            StoreIdentity.Judge(StoreIdentity.Read(connection, transaction: null), settings.FullPath);
            var mode = Execute(connection, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw StoreErrors.NoWriteAheadLog(settings.FullPath, mode);
            }

            Execute(connection, $"PRAGMA synchronous = {settings.SynchronousPragma}; PRAGMA foreign_keys = ON;");

            // Take the write lock once, writing nothing: a -wal or -shm this process could open only for reading
            // says so now, not at the first change.
            Execute(connection, "BEGIN IMMEDIATE; ROLLBACK;");
            SchemaMigrator.Migrate(connection, settings.FullPath, settings.Keys);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new store file is created readable and writable by its owner only (0600; an owner-only access list on
    /// Windows): SQLite gives its -wal and -shm files the same mode. An administrator shares a store by giving the
    /// file a group (chgrp, chmod g+rw); MdiFlow never widens an existing file's access.
    /// </summary>
    private static void CreateOwnerOnly(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        if (!Directory.Exists(Path.GetDirectoryName(path)))
        {
            return; // SQLite reports the missing folder in its own words
        }

        try
        {
            PrivateFile.CreateNew(path).Dispose();
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it at the same moment.
        }
    }

    /// <summary>Whether this account may write the store file itself (so a read-only open is someone else's moment).</summary>
    private static bool MayWrite(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static SqliteConnection OpenForReading(StoreSettings settings)
    {
        if (!File.Exists(settings.FullPath))
        {
            throw StoreErrors.Missing(settings.FullPath);
        }

        StoreIdentity.Inspect(settings);
        SqliteConnection connection;
        try
        {
            connection = Connect(settings.ReadOnlyConnectionString(immutable: false), settings);
        }
        catch (SqliteException ex) when ((ex.SqliteErrorCode & 0xFF) is SQLITE_CANTOPEN or SQLITE_READONLY or SQLITE_PERM)
        {
            // A folder this account cannot write, with no -shm file to share: read the file as it is.
            connection = Connect(settings.ReadOnlyConnectionString(immutable: true), settings);
        }

        var facts = StoreIdentity.Read(connection, transaction: null);
        if (facts.IsBlank)
        {
            connection.Dispose();
            throw StoreErrors.Missing(settings.FullPath);
        }

        if (facts.SchemaVersion < StoreSchema.CurrentVersion)
        {
            connection.Dispose();
            throw StoreErrors.Older(settings.FullPath, facts.SchemaVersion, StoreSchema.CurrentVersion);
        }

        return connection;
    }

    private static SqliteConnection Connect(string connectionString, StoreSettings settings)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {settings.BusyTimeoutMilliseconds}; PRAGMA query_only = ON;");
            StoreIdentity.Judge(StoreIdentity.Read(connection, transaction: null), settings.FullPath);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string? Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }
}
