using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Storage;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Workers;

/// <summary>
/// The loop that keeps instances moving without a person: it runs what is ready, retries what is due, acts on expired
/// gates and recovers runs whose process died. Each pass asks the store for what is due now
/// (<see cref="IWorkflowStore.FindRunnableAsync"/>, an index read); a pass that fails (the store is unreachable) is
/// logged and tried again after a growing wait, never the end of the loop. Hosted by <c>AddMdiFlowWorker</c>;
/// <c>mdiflow worker</c> is a thin shell around it.
/// </summary>
public sealed class WorkflowWorker
{
    /// <summary>Refused instances remembered at most; past this the oldest are looked at again sooner.</summary>
    private const int RefusedCapacity = 10_000;

    private readonly WorkflowEngine _engine;
    private readonly IWorkflowStore _store;
    private readonly IWorkerRunner _runner;
    private readonly WorkerOptions _options;
    private readonly string _host;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<IWorkerObserver> _observers;
    private readonly IWakeSignal? _signal;
    private readonly Dictionary<InstanceId, DateTimeOffset> _refused = [];
    private bool _scannedOwnHost;

    internal WorkflowWorker(
        WorkflowEngine engine,
        IWorkflowStore store,
        IWorkerRunner runner,
        WorkerOptions options,
        EngineOptions engineOptions,
        TimeProvider time,
        ILogger logger,
        IEnumerable<IWorkerObserver> observers,
        IWakeSignal? signal)
    {
        _engine = engine;
        _store = store;
        _runner = runner;
        _options = options;
        _host = options.HostName ?? engineOptions.HostName;
        _time = time;
        _logger = logger;
        _observers = [.. observers];
        _signal = signal;
    }

    /// <summary>The host name this worker looks for work as.</summary>
    public string HostName => _host;

    /// <summary>Runs passes until <paramref name="cancellationToken"/> is cancelled; the step under way is then stopped and its instance handed back.</summary>
    /// <remarks>Returns normally when stopped; no failure of a pass ends it.</remarks>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        WorkerLog.Started(_logger, _host, _options.PollInterval, _options.BatchSize);
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = _options.PollInterval;
            try
            {
                var pass = await RunPassAsync(cancellationToken).ConfigureAwait(false);
                failures = 0;
                if (pass.Full)
                {
                    continue; // more may be due than one batch took
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                wait = Backoff(failures);
                WorkerLog.PassFailed(_logger, failures, wait, ex);
            }

            try
            {
                await WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        WorkerLog.Stopped(_logger, _host);
    }

    /// <summary>Makes one pass: looks at every instance due now (up to the batch size) and does what each needs.</summary>
    /// <exception cref="StoreException">The store cannot be used (or, a store of one host's workers, another host's worker uses it); nothing more was tried in this pass.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the step under way was handed back.</exception>
    public async Task<WorkerPass> RunPassAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        ForgetOldRefusals(now);
        if (_store is ISingleHostStore single)
        {
            await single.AdmitWorkerAsync(_host, now, cancellationToken).ConfigureAwait(false);
        }

        var outcomes = new List<WorkerOutcome>();
        if (!_scannedOwnHost)
        {
            await RecoverOwnHostAsync(outcomes, cancellationToken).ConfigureAwait(false);
            _scannedOwnHost = true;
        }

        var due = await _store.FindRunnableAsync(now, _host, _options.BatchSize + _refused.Count, cancellationToken).ConfigureAwait(false);
        var taken = 0;
        foreach (var runnable in due)
        {
            if (_refused.ContainsKey(runnable.Id) || outcomes.Any(o => o.Id == runnable.Id))
            {
                continue;
            }

            if (taken++ == _options.BatchSize)
            {
                break;
            }

            if (await HandleAsync(runnable.Id, runnable.Reason, cancellationToken).ConfigureAwait(false) is { } outcome)
            {
                outcomes.Add(outcome);
            }
        }

        var pass = new WorkerPass(now, outcomes) { Full = taken > _options.BatchSize };
        if (pass.Advanced > 0)
        {
            WorkerLog.PassDone(_logger, outcomes.Count, pass.Advanced);
        }

        foreach (var observer in _observers)
        {
            observer.PassCompleted(pass);
        }

        return pass;
    }

    /// <summary>
    /// Once, at the first pass: instances of this host still marked running whose lease has not expired yet. Their
    /// process may be gone (the host restarted); the engine recovers those whose process is provably dead at once.
    /// </summary>
    private async Task RecoverOwnHostAsync(List<WorkerOutcome> outcomes, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var summary in await _store.ListAsync(new InstanceQuery(InstanceStatus.Running, _options.BatchSize), cancellationToken).ConfigureAwait(false))
        {
            var instance = await _store.FindAsync(summary.InstanceId, cancellationToken).ConfigureAwait(false);
            if (instance?.Lease is { } lease && lease.ExpiresAt > now && string.Equals(lease.Host, _host, StringComparison.OrdinalIgnoreCase)
                && await HandleAsync(instance.Id, WakeReason.LeaseExpiry, cancellationToken).ConfigureAwait(false) is { } outcome)
            {
                outcomes.Add(outcome);
            }
        }
    }

    private async Task<WorkerOutcome?> HandleAsync(InstanceId id, WakeReason reason, CancellationToken cancellationToken)
    {
        WorkflowInstance? before = null;
        try
        {
            before = await _engine.GetAsync(id, cancellationToken).ConfigureAwait(false);
            WorkflowInstance after;
            switch (before.Status)
            {
                case InstanceStatus.Waiting:
                    after = await _engine.RefreshAsync(id, cancellationToken).ConfigureAwait(false);
                    break;
                case InstanceStatus.Pending or InstanceStatus.Ready or InstanceStatus.Scheduled or InstanceStatus.Running:
                    after = await _runner.RunAsync(new WorkerRun(before, reason, _options.Actor, cancellationToken)).ConfigureAwait(false);
                    break;
                default:
                    return null; // finished or failed since the index was read
            }

            return new WorkerOutcome(id, reason, before.Status, after.Status, after.Version != before.Version);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (before is not null)
            {
                WorkerLog.HandedBack(_logger, id);
            }

            throw;
        }
        catch (Exception ex) when (ex is InstanceStateException or ConcurrencyException or InstanceNotFoundException)
        {
            WorkerLog.TakenElsewhere(_logger, id, ex.Message);
            return null;
        }
        catch (ActionNotAllowedException ex)
        {
            WorkerLog.NotAllowed(_logger, id, _options.Actor.Name, ex.Message);
            return Refuse(id, reason, before, ex.Message);
        }
        catch (IntegrityException ex)
        {
            WorkerLog.RecordDisagrees(_logger, id, ex.Message);
            return Refuse(id, reason, before, ex.Message);
        }
        catch (Exception ex) when (ex is not (StoreException or Journal.JournalKeyException))
        {
            WorkerLog.RunCrashed(_logger, id, ex);
            return Refuse(id, reason, before, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private WorkerOutcome Refuse(InstanceId id, WakeReason reason, WorkflowInstance? before, string why)
    {
        if (_refused.Count < RefusedCapacity)
        {
            _refused[id] = _time.GetUtcNow() + _options.RecheckRefusedAfter;
        }

        var status = before?.Status ?? InstanceStatus.Pending;
        return new WorkerOutcome(id, reason, status, status, Advanced: false, NotRun: why);
    }

    private void ForgetOldRefusals(DateTimeOffset now)
    {
        foreach (var (id, until) in _refused.ToList())
        {
            if (until <= now)
            {
                _refused.Remove(id);
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var wait = TimeSpan.FromTicks((long)Math.Min(_options.PollInterval.Ticks * factor, _options.MaxBackoff.Ticks));
        return wait < _options.PollInterval ? _options.PollInterval : wait;
    }

    /// <summary>Waits <paramref name="wait"/>, or less when the store's wake-up signal comes first.</summary>
    private async Task WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_signal is null)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(wait, _time, either.Token);
        var signalled = _signal.WaitAsync(either.Token);
        var first = await Task.WhenAny(delay, signalled).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (first == signalled && signalled.IsFaulted)
        {
            WorkerLog.SignalFailed(_logger, signalled.Exception.GetBaseException());
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
