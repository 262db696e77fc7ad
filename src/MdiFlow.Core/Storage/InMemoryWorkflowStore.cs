using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Storage;

/// <summary>
/// A store in process memory, for embedders' tests and benchmarks. It keeps serialized documents,
/// so callers never share mutable state with it, exactly as with a durable store.
/// </summary>
public sealed class InMemoryWorkflowStore : IWorkflowStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<InstanceId, Row> _rows = [];

    /// <inheritdoc />
    public ValueTask CreateAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            if (_rows.ContainsKey(instance.Id))
            {
                throw new ConcurrencyException($"Instance {instance.Id} already exists.");
            }

            instance.Version = 1;
            _rows[instance.Id] = new Row(InstanceDocument.Serialize(instance), Summarize(instance), [.. entries]);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            if (!_rows.TryGetValue(instance.Id, out var row))
            {
                throw new ConcurrencyException($"Instance {instance.Id} does not exist.");
            }

            if (row.Summary.Version != instance.Version)
            {
                throw new ConcurrencyException($"Instance {instance.Id} was changed by another writer (version {row.Summary.Version}, expected {instance.Version}).");
            }

            instance.Version++;
            row.Journal.AddRange(entries);
            _rows[instance.Id] = row with { Document = InstanceDocument.Serialize(instance), Summary = Summarize(instance) };
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<WorkflowInstance?> FindAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_rows.TryGetValue(id, out var row) ? InstanceDocument.Deserialize(row.Document) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InstanceId>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<InstanceId> ids = [.. _rows.Keys.Where(k => k.Value.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(k => k.Value, StringComparer.Ordinal).Take(limit)];
            return ValueTask.FromResult(ids);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InstanceSummary>> ListAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            IReadOnlyList<InstanceSummary> list = [.. _rows.Values
                .Select(r => r.Summary)
                .Where(s => query.Status is null || s.Status == query.Status)
                .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id.Value, StringComparer.Ordinal)
                .Take(query.Limit)
                .Select(s => new InstanceSummary(s.Id, s.WorkflowId, s.Status, s.CreatedAt, s.UpdatedAt))];
            return ValueTask.FromResult(list);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JournalEntry>> ReadJournalAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<JournalEntry> entries = _rows.TryGetValue(id, out var row) ? [.. row.Journal] : [];
            return ValueTask.FromResult(entries);
        }
    }

    private static SummaryRow Summarize(WorkflowInstance i) => new(i.Id, i.WorkflowId, i.Status, i.CreatedAt, i.UpdatedAt, i.Version);

    private sealed record SummaryRow(InstanceId Id, string WorkflowId, InstanceStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version);

    private sealed record Row(string Document, SummaryRow Summary, List<JournalEntry> Journal);
}
