using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Sqlite;

/// <summary>
/// The one thread that uses a store's connection. Operations run in the order they arrive; writes that arrive
/// while a commit is under way wait for the next one and are then committed together, in one transaction
/// (group commit). Each write has its own savepoint, so each keeps its own version check and journal rows, and a
/// conflict fails only its own caller; a commit that fails fails every write in it. A write alone is committed
/// alone: one instance moving on by itself still costs one durable commit per transition.
/// </summary>
/// <remarks>
/// The thread starts with the first operation and ends after a while without any, so a store nobody disposes
/// leaves no thread behind. Callers never touch the connection: every statement runs on this thread.
/// </remarks>
internal sealed class StoreWorker : IDisposable
{
    /// <summary>Writes per transaction at most: a bigger batch would hold the write lock (other processes wait) longer.</summary>
    private const int MaxBatch = 1024;

    private static readonly TimeSpan IdleLife = TimeSpan.FromSeconds(5);
    private static readonly Counter<long> Commits = MdiFlowTelemetry.Meter.CreateCounter<long>(
        "mdiflow.store.commits", description: "SQLite transactions committed with instance writes; each carries one or more writes (group commit).");

    private static readonly Histogram<long> WritesPerCommit = MdiFlowTelemetry.Meter.CreateHistogram<long>(
        "mdiflow.store.commit.writes", description: "Instance writes (creates and saves) carried by one SQLite commit.");

    private readonly StoreSettings _settings;
    private readonly ConcurrentQueue<Operation> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<PendingWrite> _batch = [];
    private InstanceCommands? _commands;
    private Thread? _thread;
    private int _serving;
    private int _sleeping;
    private volatile bool _disposed;

    public StoreWorker(StoreSettings settings) => _settings = settings;

    /// <summary>Runs <paramref name="read"/> on the store's thread, after everything queued before it.</summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public Task<T> RunAsync<T>(Func<InstanceCommands, T> read, CancellationToken cancellationToken)
    {
        var operation = new Read<T>(read);
        Enqueue(operation, cancellationToken);
        return operation.Completion.Task;
    }

    /// <summary>Queues a write for the next commit; completes once it is durable, or fails with why it was not written.</summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public Task WriteAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        Enqueue(write, cancellationToken);
        return write.Completion.Task;
    }

    /// <summary>Finishes the operation under way, fails those still queued, and closes the connection.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _wake.Release();
        var thread = Volatile.Read(ref _thread);
        if (thread is not null && thread != Thread.CurrentThread)
        {
            thread.Join();
        }

        FailQueued();
        _commands?.Dispose();
        _commands = null;
    }

    private void Enqueue(Operation operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteWorkflowStore));
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.ThrowIfCancellationRequested();
            operation.Cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((Operation)state!).TryCancel(token), operation);
        }

        _queue.Enqueue(operation);
        if (Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            _wake.Release();
        }

        if (Volatile.Read(ref _serving) == 0 && Interlocked.CompareExchange(ref _serving, 1, 0) == 0)
        {
            var thread = new Thread(Serve) { IsBackground = true, Name = "MdiFlow SQLite store" };
            Volatile.Write(ref _thread, thread);
            thread.Start();
        }
    }

    private void Serve()
    {
        while (true)
        {
            if (_disposed)
            {
                // Writes already taken into a batch were accepted before the store was disposed: commit them.
                CommitBatch();
                FailQueued();
                Volatile.Write(ref _serving, 0);
                return;
            }

            if (_queue.TryDequeue(out var operation))
            {
                switch (operation)
                {
                    case PendingWrite write:
                        if (write.Begin())
                        {
                            _batch.Add(write);
                            if (_batch.Count >= MaxBatch)
                            {
                                CommitBatch();
                            }
                        }

                        break;
                    default:
                        // Writes queued before a read are committed before it runs: a caller reads what it wrote.
                        CommitBatch();
                        if (operation.Begin())
                        {
                            RunRead(operation);
                        }

                        break;
                }

                continue;
            }

            if (_batch.Count > 0)
            {
                CommitBatch();
                continue;
            }

            Interlocked.Exchange(ref _sleeping, 1);
            if (!_queue.IsEmpty || _disposed)
            {
                Volatile.Write(ref _sleeping, 0);
                continue;
            }

            if (_wake.Wait(IdleLife))
            {
                continue;
            }

            // Idle: stop serving, unless an operation arrived just now and found this thread still serving.
            Volatile.Write(ref _sleeping, 0);
            Volatile.Write(ref _serving, 0);
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _serving, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private void RunRead(Operation operation)
    {
        try
        {
            operation.Complete(Commands());
        }
        catch (SqliteException ex)
        {
            operation.Fail(Translate(ex));
        }
        catch (Exception ex)
        {
            operation.Fail(ex);
        }
    }

    private void CommitBatch()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        var outcomes = new Exception?[_batch.Count];
        try
        {
            var commands = Commands();
            using (var transaction = commands.Begin())
            {
                for (var i = 0; i < _batch.Count; i++)
                {
                    outcomes[i] = commands.Apply(_batch[i], transaction);
                }

                transaction.Commit();
            }

            var store = new KeyValuePair<string, object?>("mdiflow.store.path", _settings.FullPath);
            Commits.Add(1, store);
            WritesPerCommit.Record(_batch.Count, store);
            for (var i = 0; i < _batch.Count; i++)
            {
                if (outcomes[i] is { } refused)
                {
                    _batch[i].Fail(refused);
                }
                else
                {
                    _batch[i].Succeed();
                }
            }
        }
        catch (Exception ex)
        {
            // Nothing of this batch was committed (SQLite rolls the transaction back when it is disposed).
            var error = ex is SqliteException sqlite ? Translate(sqlite) : ex;
            foreach (var write in _batch)
            {
                write.Fail(error);
            }
        }
        finally
        {
            _batch.Clear();
        }
    }

    private InstanceCommands Commands() => _commands ??= InstanceCommands.Open(_settings);

    private StoreException Translate(SqliteException ex)
    {
        // A connection that failed for another reason than a lock is closed: the next operation opens the
        // file again and checks it afresh.
        if ((ex.SqliteErrorCode & 0xFF) is not (SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED))
        {
            _commands?.Dispose();
            _commands = null;
        }

        return StoreErrors.Translate(ex, _settings);
    }

    private void FailQueued()
    {
        while (_queue.TryDequeue(out var operation))
        {
            if (operation.Begin())
            {
                operation.Fail(new ObjectDisposedException(nameof(SqliteWorkflowStore)));
            }
        }
    }

    /// <summary>Something for the store's thread to do, completed exactly once: run, failed or cancelled.</summary>
    internal abstract class Operation
    {
        private const int Queued = 0;
        private const int Started = 1;
        private const int Cancelled = 2;
        private int _state;

        public CancellationTokenRegistration Cancellation { get; set; }

        /// <summary>Claims the operation for running; false when it was cancelled while queued.</summary>
        public bool Begin()
        {
            var claimed = Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;
            Cancellation.Dispose();
            return claimed;
        }

        public void TryCancel(CancellationToken token)
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
            {
                Canceled(token);
            }
        }

        public abstract void Complete(InstanceCommands commands);

        public abstract void Fail(Exception error);

        protected abstract void Canceled(CancellationToken token);
    }

    private sealed class Read<T>(Func<InstanceCommands, T> read) : Operation
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Complete(InstanceCommands commands) => Completion.TrySetResult(read(commands));

        public override void Fail(Exception error) => Completion.TrySetException(error);

        protected override void Canceled(CancellationToken token) => Completion.TrySetCanceled(token);
    }
}

/// <summary>One create or save waiting for its commit, with everything taken from the instance when it was queued.</summary>
internal sealed class PendingWrite : StoreWorker.Operation
{
    public required WorkflowInstance Instance { get; init; }

    /// <summary>The version the stored row must still have; 0 for a create.</summary>
    public required long Expected { get; init; }

    public bool IsCreate => Expected == 0;

    public required string Document { get; init; }

    /// <summary>The document's seal under the store's journal key.</summary>
    public required string Seal { get; init; }

    /// <summary>The definition's JSON text, for a create whose definition the store may not have yet.</summary>
    public string? Definition { get; init; }

    public required InstanceStatus Status { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required DateTimeOffset? DueAt { get; init; }

    /// <summary>When a worker should next look at the instance (<see cref="RunnableIndex.WakeAt"/>), or null.</summary>
    public required DateTimeOffset? WakeAt { get; init; }

    /// <summary>The host whose worker must run it (<see cref="RunnableIndex.RequiredHost"/>), or null.</summary>
    public required string? RequiredHost { get; init; }

    public required IReadOnlyList<JournalEntry> Entries { get; init; }

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Succeed() => Completion.TrySetResult();

    public override void Complete(InstanceCommands commands) => throw new InvalidOperationException("A write completes with its batch.");

    public override void Fail(Exception error) => Completion.TrySetException(error);

    protected override void Canceled(CancellationToken token) => Completion.TrySetCanceled(token);
}
