using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace MdiFlow.Sqlite.Tests.Support;

/// <summary>Looks at store files from outside the store: checksums, companion files, raw SQL.</summary>
internal static class StoreFiles
{
    /// <summary>SHA-256 of the file's bytes.</summary>
    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The files SQLite keeps next to a database while it writes it.</summary>
    public static IEnumerable<string> Companions(string path) =>
        new[] { "-wal", "-shm", "-journal" }.Select(suffix => path + suffix).Where(File.Exists);

    /// <summary>A connection of its own to the file, closed for real on dispose.</summary>
    public static SqliteConnection OpenRaw(string path, SqliteOpenMode mode = SqliteOpenMode.ReadWrite)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Runs statements on a raw connection.</summary>
    public static void Execute(this SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Reads one value on a raw connection.</summary>
    public static T Scalar<T>(this SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs statements on the file through a connection opened and closed for them.</summary>
    public static void Execute(string path, string sql)
    {
        using var connection = OpenRaw(path, SqliteOpenMode.ReadWriteCreate);
        connection.Execute(sql);
    }

    /// <summary>Reads one value from the file through a connection opened and closed for it.</summary>
    public static T Scalar<T>(string path, string sql)
    {
        using var connection = OpenRaw(path, SqliteOpenMode.ReadOnly);
        return connection.Scalar<T>(sql);
    }
}
