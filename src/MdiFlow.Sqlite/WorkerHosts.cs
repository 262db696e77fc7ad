using System.Data;
using Microsoft.Data.Sqlite;
using MdiFlow.Storage;

namespace MdiFlow.Sqlite;

/// <summary>
/// The hosts whose workers use the store (<c>worker_hosts</c>, schema 5): each worker's pass records its host, and a
/// worker of another host is refused while one was seen within <see cref="Window"/>. SQLite's locks do not hold across
/// hosts, so a file that two hosts' workers reach (a network path the mount table does not show, a disk moved between
/// hosts while both run) would be written by both at once; and host-affine steps need one store every host reaches.
/// </summary>
internal static class WorkerHosts
{
    /// <summary>How long a host's worker counts as using the store after its last pass (a file moved to a new host waits this long).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(2);

    public static void Admit(SqliteConnection connection, StoreSettings settings, string host, DateTimeOffset now)
    {
        var key = RunnableIndex.HostKey(host);
        using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
        using (var other = connection.CreateCommand())
        {
            other.Transaction = transaction;
            other.CommandText = "SELECT host, seen_at FROM worker_hosts WHERE host <> $host AND seen_at >= $since ORDER BY seen_at DESC LIMIT 1";
            other.Parameters.AddWithValue("$host", key);
            other.Parameters.AddWithValue("$since", ColumnText.FromTime(now - Window));
            using var reader = other.ExecuteReader();
            if (reader.Read())
            {
                throw StoreErrors.WorkersOnSeveralHosts(settings.FullPath, host, reader.GetString(0), ColumnText.ToTime(reader.GetString(1), settings.FullPath), Window);
            }
        }

        using (var seen = connection.CreateCommand())
        {
            seen.Transaction = transaction;
            seen.CommandText = "INSERT INTO worker_hosts (host, seen_at) VALUES ($host, $now) ON CONFLICT (host) DO UPDATE SET seen_at = max(seen_at, excluded.seen_at)";
            seen.Parameters.AddWithValue("$host", key);
            seen.Parameters.AddWithValue("$now", ColumnText.FromTime(now));
            seen.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
