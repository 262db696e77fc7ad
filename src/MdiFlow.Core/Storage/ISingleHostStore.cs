namespace MdiFlow.Storage;

/// <summary>
/// A store whose workers must all run on one host (SQLite: its file locks do not hold across hosts, and a host-affine
/// step needs a store every host reaches). The library worker calls <see cref="AdmitWorkerAsync"/> before each pass;
/// while a worker of another host has used the store recently, the store refuses, pointing to PostgreSQL.
/// </summary>
public interface ISingleHostStore
{
    /// <summary>Records that a worker of <paramref name="host"/> uses the store at <paramref name="now"/>, unless a worker of another host does.</summary>
    /// <exception cref="StoreException">A worker of another host used the store recently (or the store cannot be used); nothing was recorded.</exception>
    ValueTask AdmitWorkerAsync(string host, DateTimeOffset now, CancellationToken cancellationToken = default);
}
