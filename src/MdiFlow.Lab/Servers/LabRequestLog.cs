using System.Collections.Concurrent;

namespace MdiFlow.Lab.Servers;

/// <summary>Every request the lab's servers received, in arrival order, safe to add to from any connection.</summary>
internal sealed class LabRequestLog(TimeProvider time)
{
    private readonly ConcurrentQueue<LabRequest> _requests = new();

    public IReadOnlyList<LabRequest> Snapshot() => [.. _requests];

    public void Add(LabServer server, string method, string target, bool viaProxy, int status) =>
        _requests.Enqueue(new LabRequest(server, method, target, viaProxy, status, time.GetUtcNow()));
}
