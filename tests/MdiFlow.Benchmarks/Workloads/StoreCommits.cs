using System.Diagnostics.Metrics;
using MdiFlow.Engine;

namespace MdiFlow.Benchmarks.Workloads;

/// <summary>
/// Listens to the SQLite store's <c>mdiflow.store.commits</c> counter on the <c>MdiFlow</c> meter: how many
/// transactions carried the writes, so the harness can show how many transitions each commit groups.
/// </summary>
internal sealed class StoreCommits : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _commits;

    public StoreCommits()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MdiFlowTelemetry.Name && instrument.Name == "mdiflow.store.commits")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _commits, value));
        _listener.Start();
    }

    /// <summary>Commits seen so far; 0 when the store publishes no such counter.</summary>
    public long Count => Interlocked.Read(ref _commits);

    public void Dispose() => _listener.Dispose();
}
