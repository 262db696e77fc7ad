using MdiFlow.Workers;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MdiFlow.PostgreSql.WakeUps;

/// <summary>
/// The worker's wake-up signal on a PostgreSQL store: one connection that <c>LISTEN</c>s on
/// <see cref="WakePayload.Channel"/>, so that a commit anywhere (an approval in the web host, a task completed from
/// another host, a retry scheduled) wakes the worker at once for what is due now, and at the due time for what is due
/// later. It is a hint: the worker's poll stays the guarantee. While the connection is down (it reconnects with a
/// growing wait) notifications may be lost, so the listener wakes the worker every <see cref="FallbackPoll"/> (3 s)
/// whatever its poll interval, until it listens again. Started by the worker's first wait; it also keeps the worker's heartbeat.
/// </summary>
internal sealed partial class NotificationListener(PostgreSqlWorkflowStore store, string host, TimeProvider time, ILogger logger) : IWakeSignal, IAsyncDisposable
{
    private static readonly TimeSpan MaxReconnectWait = TimeSpan.FromSeconds(30);

    /// <summary>How often the worker is woken while no connection listens (notifications may be lost meanwhile).</summary>
    public static readonly TimeSpan FallbackPoll = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly WorkerHeartbeats _heartbeats = new(store, host, time);
    private Task? _loop;
    private ITimer? _due;
    private ITimer? _fallback;
    private DateTimeOffset _dueAt = DateTimeOffset.MaxValue;
    private int _notifications;
    private int _fallbackWakeUps;

    /// <summary>The host whose notifications wake this worker (and those for any host).</summary>
    public string Host => host;

    /// <inheritdoc />
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _loop ??= Task.Run(() => ListenAsync(_stop.Token));
        }

        await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(false);
            try
            {
                await _heartbeats.EndAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException or ObjectDisposedException)
            {
                // The row ages out: show stops calling the worker alive after three missed heartbeats.
            }
        }

        lock (_gate)
        {
            _due?.Dispose();
            _fallback?.Dispose();
        }

        _stop.Dispose();
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await store.OpenAsync(stop).ConfigureAwait(false);
                await using var connection = await store.DataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, e) => Received(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {WakePayload.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                failures = 0;
                StopPolling();
                await _heartbeats.BeatAsync(stop).ConfigureAwait(false);
                Listening(logger, host);
                Signal(); // whatever was committed while nobody listened is looked at now
                var nextBeat = time.GetUtcNow() + WorkerHeartbeats.Interval;
                while (true)
                {
                    // Returns at a notification (handled by Received) or after a heartbeat's length without one.
                    await connection.WaitAsync(WorkerHeartbeats.Interval, stop).ConfigureAwait(false);
                    if (time.GetUtcNow() >= nextBeat)
                    {
                        await _heartbeats.BeatAsync(stop).ConfigureAwait(false);
                        nextBeat = time.GetUtcNow() + WorkerHeartbeats.Interval;
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException or Storage.StoreException)
            {
                failures++;
                PollWhileDeaf();
                var wait = TimeSpan.FromSeconds(Math.Min(MaxReconnectWait.TotalSeconds, Math.Pow(2, Math.Min(failures, 10)) / 4));
                LostConnection(logger, host, wait, ex);
                try
                {
                    await Task.Delay(wait, time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>While no connection listens: wakes the worker now and every <see cref="FallbackPoll"/>, since notifications may be lost meanwhile.</summary>
    private void PollWhileDeaf()
    {
        lock (_gate)
        {
            _fallback ??= time.CreateTimer(static state => ((NotificationListener)state!).FallbackWakeUp(), this, TimeSpan.Zero, FallbackPoll);
        }
    }

    /// <summary>Listening again: notifications wake the worker, its own poll is the guarantee.</summary>
    private void StopPolling()
    {
        lock (_gate)
        {
            _fallback?.Dispose();
            _fallback = null;
        }
    }

    private void FallbackWakeUp()
    {
        Interlocked.Increment(ref _fallbackWakeUps);
        Signal();
    }

    /// <summary>How many times the worker was woken because no connection listened (tests wait on it).</summary>
    internal int FallbackWakeUps => Volatile.Read(ref _fallbackWakeUps);

    /// <summary>How many notifications arrived (tests wait on it).</summary>
    internal int Notifications => Volatile.Read(ref _notifications);

    /// <summary>A notification: for this host or any host, wake now if it is due, else at its due time.</summary>
    private void Received(string payload)
    {
        try
        {
            Handle(payload);
        }
        finally
        {
            Interlocked.Increment(ref _notifications);
        }
    }

    private void Handle(string payload)
    {
        if (WakePayload.Parse(payload) is not { } wake
            || (wake.Host.Length > 0 && !string.Equals(wake.Host, host, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        var now = time.GetUtcNow();
        if (wake.WakeAt <= now)
        {
            Signal();
            return;
        }

        lock (_gate)
        {
            if (wake.WakeAt >= _dueAt)
            {
                return;
            }

            _due?.Dispose();
            _dueAt = wake.WakeAt;
            _due = time.CreateTimer(static state => ((NotificationListener)state!).DueNow(), this, wake.WakeAt - now, Timeout.InfiniteTimeSpan);
        }
    }

    private void DueNow()
    {
        lock (_gate)
        {
            _dueAt = DateTimeOffset.MaxValue;
        }

        Signal();
    }

    private void Signal()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another notification signalled at the same moment: one wake-up covers both.
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Listening for wake-ups of host {Host} and of any host")]
    private static partial void Listening(ILogger logger, string host);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "The wake-up connection of host {Host} failed; the worker polls meanwhile, and listens again in {Wait}")]
    private static partial void LostConnection(ILogger logger, string host, TimeSpan wait, Exception exception);
}
