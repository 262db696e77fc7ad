using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MdiFlow.Engine;

namespace MdiFlow.PostgreSql.Tests.Support;

/// <summary>Records the writes of every commit of one database's stores, from the <c>mdiflow.store.commit.writes</c> histogram.</summary>
internal sealed class CommitCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<long> _writes = new();

    public CommitCounter(string database)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MdiFlowTelemetry.Name && instrument.Name == "mdiflow.store.commit.writes")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "mdiflow.store.database" && tag.Value is string name && name.EndsWith("/" + database, StringComparison.Ordinal))
                {
                    _writes.Enqueue(value);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>How many writes each commit carried, in order.</summary>
    public IReadOnlyList<long> WritesPerCommit => [.. _writes];

    public void Dispose() => _listener.Dispose();
}
