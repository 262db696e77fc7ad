using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Storage;

/// <summary>
/// A store in process memory, for embedders' tests and benchmarks. It keeps deep copies, so callers never
/// share mutable state with it, exactly as with a durable store; like one, it keeps each definition once,
/// under its hash.
/// </summary>
public sealed class InMemoryWorkflowStore : IWorkflowStore
{
    private readonly ConcurrentDictionary<InstanceId, Row> _rows = new();
    private readonly ConcurrentDictionary<string, JsonObject> _definitions = new(StringComparer.Ordinal);

    // The wake index: what FindRunnableAsync reads in order, changed under its own lock (taken after a row's). Running
    // instances stay out of it: their lease moves at every step, and only those in flight are in _running.
    private readonly SortedSet<WakeKey> _wakes = new(WakeKey.Order);
    private readonly ConcurrentDictionary<InstanceId, Row> _running = new();

    /// <inheritdoc />
    public ValueTask CreateAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(entries);
        var row = new Row(InstanceCopy.Of(instance, 1, Definition(instance)), [.. entries]);
        lock (row)
        {
            if (!_rows.TryAdd(instance.Id, row))
            {
                throw new ConcurrencyException($"Instance {instance.Id} already exists.");
            }

            Index(row);
        }

        instance.Version = 1;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(WorkflowInstance instance, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(entries);
        if (!_rows.TryGetValue(instance.Id, out var row))
        {
            throw new ConcurrencyException($"Instance {instance.Id} does not exist.");
        }

        // Copy outside the lock (the caller owns the instance until the save returns), sharing what did not change.
        var expected = instance.Version;
        var current = row.Current;
        if (LeaseFence.IsStale(LeaseFence.TokenOf(instance), current.LeaseToken))
        {
            throw LeaseFence.Lost(instance.Id, LeaseFence.TokenOf(instance), current.LeaseToken);
        }

        if (current.Version != expected)
        {
            throw new ConcurrencyException($"Instance {instance.Id} was changed by another writer (version {current.Version}, expected {expected}).");
        }

        var copy = InstanceCopy.Next(instance, expected + 1, current);
        lock (row)
        {
            if (row.Current != current)
            {
                if (LeaseFence.IsStale(LeaseFence.TokenOf(instance), row.Current.LeaseToken))
                {
                    throw LeaseFence.Lost(instance.Id, LeaseFence.TokenOf(instance), row.Current.LeaseToken);
                }

                throw new ConcurrencyException($"Instance {instance.Id} was changed by another writer (version {row.Current.Version}, expected {expected}).");
            }

            row.Current = copy;
            row.Journal.AddRange(entries);
            Index(row);
        }

        instance.Version = expected + 1;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<WorkflowInstance?> FindAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        if (!_rows.TryGetValue(id, out var row))
        {
            return ValueTask.FromResult<WorkflowInstance?>(null);
        }

        var current = row.Current;
        var copy = InstanceCopy.Of(current, current.Version, current.Definition);
        copy.AttachDefinition(current.Definition);
        return ValueTask.FromResult<WorkflowInstance?>(copy);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InstanceId>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<InstanceId> ids = [.. _rows.Keys.Where(k => k.Value.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(k => k.Value, StringComparer.Ordinal).Take(limit)];
        return ValueTask.FromResult(ids);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InstanceSummary>> ListAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<InstanceSummary> list = [.. _rows.Values
            .Select(r => r.Current)
            .Where(i => query.Status is null || i.Status == query.Status)
            .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id.Value, StringComparer.Ordinal)
            .Take(query.Limit)
            .Select(i => new InstanceSummary(i.Id, i.WorkflowId, i.Status, i.CreatedAt, i.UpdatedAt))];
        return ValueTask.FromResult(list);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JournalEntry>> ReadJournalAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        if (!_rows.TryGetValue(id, out var row))
        {
            return ValueTask.FromResult<IReadOnlyList<JournalEntry>>([]);
        }

        lock (row)
        {
            return ValueTask.FromResult<IReadOnlyList<JournalEntry>>([.. row.Journal]);
        }
    }

    /// <inheritdoc />
    public ValueTask<JournalTail?> ReadJournalTailAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        if (!_rows.TryGetValue(id, out var row))
        {
            return ValueTask.FromResult<JournalTail?>(null);
        }

        lock (row)
        {
            return ValueTask.FromResult(row.Journal.Count == 0 ? null : new JournalTail(row.Journal[^1].Seq, row.Journal[^1].Mac));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunnableInstance>> FindRunnableAsync(DateTimeOffset now, string host, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var found = new List<WakeKey>();
        lock (_wakes)
        {
            foreach (var wake in _wakes)
            {
                if (found.Count >= limit || wake.At > now)
                {
                    break;
                }

                if (wake.ServesHost(host))
                {
                    found.Add(wake);
                }
            }
        }

        foreach (var row in _running.Values)
        {
            if (Wake(row.Current) is { } wake && wake.At <= now && wake.ServesHost(host))
            {
                found.Add(wake);
            }
        }

        IReadOnlyList<RunnableInstance> due = [.. found.Order(WakeKey.Order).Take(Math.Max(0, limit))
            .Select(w => new RunnableInstance(new InstanceId(w.Id), w.At, RunnableIndex.ReasonFor(w.Status)))];
        return ValueTask.FromResult(due);
    }

    /// <summary>Puts the row's current wake time in the index, in place of the one it had (called under the row's lock).</summary>
    private void Index(Row row)
    {
        var current = row.Current;
        var running = current.Status == InstanceStatus.Running;
        var wake = running ? null : Wake(current);
        if (wake != row.Wake)
        {
            lock (_wakes)
            {
                if (row.Wake is { } old)
                {
                    _wakes.Remove(old);
                }

                if (wake is { } added)
                {
                    _wakes.Add(added);
                }
            }

            row.Wake = wake;
        }

        if (running != row.Running)
        {
            if (running)
            {
                _running[current.Id] = row;
            }
            else
            {
                _running.TryRemove(current.Id, out _);
            }

            row.Running = running;
        }
    }

    private static WakeKey? Wake(WorkflowInstance instance) =>
        RunnableIndex.WakeAt(instance) is { } at ? new WakeKey(at, instance.Id.Value, RunnableIndex.RequiredHost(instance), instance.Status) : null;

    /// <summary>The stored copy of the instance's definition: the first one stored under its hash.</summary>
    private JsonObject Definition(WorkflowInstance instance) =>
        _definitions.TryGetValue(instance.DefinitionHash, out var stored)
            ? stored
            : _definitions.GetOrAdd(instance.DefinitionHash, (JsonObject)instance.Definition.DeepClone());

    /// <summary>One instance: its current copy (replaced whole by each save) and its journal.</summary>
    private sealed class Row(WorkflowInstance current, List<JournalEntry> journal)
    {
        public WorkflowInstance Current { get; set; } = current;

        public List<JournalEntry> Journal { get; } = journal;

        /// <summary>Its entry in the wake index, or null.</summary>
        public WakeKey? Wake { get; set; }

        /// <summary>Whether it is in the set of running instances.</summary>
        public bool Running { get; set; }
    }

    /// <summary>One entry of the wake index, ordered by time, then id.</summary>
    private readonly record struct WakeKey(DateTimeOffset At, string Id, string? RequiredHost, InstanceStatus Status)
    {
        public bool ServesHost(string host) => RequiredHost is null || string.Equals(RequiredHost, RunnableIndex.HostKey(host), StringComparison.Ordinal);

        public static IComparer<WakeKey> Order { get; } = Comparer<WakeKey>.Create(static (a, b) =>
        {
            var byTime = a.At.UtcTicks.CompareTo(b.At.UtcTicks);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
    }
}
