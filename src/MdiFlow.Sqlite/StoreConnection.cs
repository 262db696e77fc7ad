using Microsoft.Data.Sqlite;
using MdiFlow.Sqlite.Schema;

namespace MdiFlow.Sqlite;

/// <summary>Opens a store's connection: refuse a network path, check the file untouched, then WAL, durability, foreign keys, migrations.</summary>
internal static class StoreConnection
{
    /// <summary>Opens the store file for reading and writing, creating it if it does not exist.</summary>
    /// <exception cref="Storage.StoreException">The file is on a network file system, is not an MdiFlow store, or is newer.</exception>
    /// <exception cref="SqliteException">SQLite failed; the caller translates it.</exception>
    public static SqliteConnection Open(StoreSettings settings)
    {
        // SQLite's locks do not hold across hosts on a network file system: two hosts could write at once and corrupt the store.
        if (NetworkPaths.Describe(settings.FullPath, settings.ReadMountInfo) is { } network)
        {
            throw StoreErrors.OnNetworkFileSystem(settings.FullPath, network);
        }

        StoreIdentity.Inspect(settings);

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
            SchemaMigrator.Migrate(connection, settings.FullPath);
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
