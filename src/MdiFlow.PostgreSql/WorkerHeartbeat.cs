namespace MdiFlow.PostgreSql;

/// <summary>A worker process that uses the store, as its last heartbeat says.</summary>
/// <param name="Owner">The worker's row: host, process id and a unique part.</param>
/// <param name="Host">The host it runs host-affine steps for (<c>worker --host</c>, default the machine name).</param>
/// <param name="ProcessId">Its process id on that host.</param>
/// <param name="StartedAt">When its process started.</param>
/// <param name="LastSeen">Its last heartbeat.</param>
/// <param name="Alive">Whether that heartbeat is recent (within three heartbeat intervals, 15 s).</param>
public sealed record WorkerHeartbeat(string Owner, string Host, int ProcessId, DateTimeOffset StartedAt, DateTimeOffset LastSeen, bool Alive);
