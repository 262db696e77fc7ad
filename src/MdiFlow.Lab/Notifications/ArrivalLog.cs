namespace MdiFlow.Lab.Notifications;

/// <summary>What a lab receiver got, in arrival order, and a signal for a test that waits for the n-th arrival.</summary>
internal sealed class ArrivalLog<T>
{
    private readonly List<T> _items = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<T> Snapshot()
    {
        lock (_lock)
        {
            return [.. _items];
        }
    }

    public void Add(T item)
    {
        List<TaskCompletionSource> released = [];
        lock (_lock)
        {
            _items.Add(item);
            foreach (var waiter in _waiters.Where(w => w.Count <= _items.Count).ToList())
            {
                _waiters.Remove(waiter);
                released.Add(waiter.Signal);
            }
        }

        foreach (var signal in released)
        {
            signal.TrySetResult();
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> items arrived.</summary>
    public async Task<IReadOnlyList<T>> WaitForAsync(int count, CancellationToken cancellationToken)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            if (_items.Count >= count)
            {
                return [.. _items];
            }

            signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
        }

        await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Snapshot();
    }
}
