using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace MdiFlow.Benchmarks.Workloads;

/// <summary>
/// The physical limit of a durable store on this disk: single-row INSERT + COMMIT transactions with
/// Microsoft.Data.Sqlite in WAL mode with <c>synchronous=FULL</c>, one row per transaction, one after another.
/// </summary>
internal static class RawCommits
{
    /// <returns>Commits per second.</returns>
    public static double Measure(string directory, double seconds)
    {
        var path = Path.Combine(directory, $"raw-commits-{Guid.NewGuid():n}.db");
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, "PRAGMA synchronous = FULL;");
            Execute(connection, "CREATE TABLE rows (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, payload TEXT NOT NULL);");
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO rows (at, payload) VALUES ($at, $payload)";
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            var payload = insert.Parameters.Add("$payload", SqliteType.Text);
            payload.Value = new string('x', 256);
            insert.Prepare();

            void Commit()
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                at.Value = Stopwatch.GetTimestamp();
                insert.ExecuteNonQuery();
                transaction.Commit();
            }

            for (var i = 0; i < 20; i++)
            {
                Commit();
            }

            var count = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                Commit();
                count++;
            }

            return count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
