using System.Diagnostics;
using MdiFlow.Instances;

namespace MdiFlow.Engine;

/// <summary>
/// Takes leases for this process, tells whether another holder is gone, and renews the leases of the attempts
/// running in this process: all of them on one timer, every fifth of <see cref="EngineOptions.LeaseDuration"/>.
/// </summary>
internal sealed class LeaseKeeper(EngineOptions options, TimeProvider time)
{
    private static readonly DateTimeOffset? OwnStart = StartOf(Process.GetCurrentProcess());
    private readonly string _owner = Guid.NewGuid().ToString("n");
    private readonly Lock _gate = new();
    private readonly HashSet<RunSession> _running = [];
    private ITimer? _timer;

    /// <summary>How often a running attempt's lease is renewed: a fifth of its length, so four renewals may fail before it runs out.</summary>
    public TimeSpan RenewalPeriod => options.LeaseDuration / 5;

    /// <summary>Renews the lease of <paramref name="session"/> until <see cref="Untrack"/>; the first renewal comes within a fifth of the lease.</summary>
    public void Track(RunSession session)
    {
        lock (_gate)
        {
            _running.Add(session);
            if (_timer is null)
            {
                _timer = time.CreateTimer(static keeper => ((LeaseKeeper)keeper!).Renew(), this, RenewalPeriod, RenewalPeriod);
            }
        }
    }

    public void Untrack(RunSession session)
    {
        lock (_gate)
        {
            _running.Remove(session);
        }
    }

    /// <summary>Claims <paramref name="instance"/> for this process: a new lease whose fencing token is one more than the last.</summary>
    public Lease Claim(WorkflowInstance instance)
    {
        instance.LeaseToken++;
        return instance.Lease = new Lease(_owner, options.HostName, Environment.ProcessId, OwnStart, time.GetUtcNow() + options.LeaseDuration, instance.LeaseToken);
    }

    /// <summary>This process's lease on <paramref name="instance"/>, running a full length again from now; the same claim, the same token.</summary>
    public Lease Extend(WorkflowInstance instance) =>
        instance.Lease = instance.Lease is { } held && IsMine(held)
            ? held with { ExpiresAt = time.GetUtcNow() + options.LeaseDuration }
            : Claim(instance);

    public bool IsMine(Lease? lease) => lease?.Owner == _owner;

    /// <summary>
    /// A lease is dead when it expired, or when its holder ran on this host and that process is gone
    /// (or the id now belongs to a process that started later).
    /// </summary>
    public bool IsDead(Lease lease)
    {
        if (lease.ExpiresAt <= time.GetUtcNow())
        {
            return true;
        }

        if (!string.Equals(lease.Host, options.HostName, StringComparison.OrdinalIgnoreCase) || lease.Owner == _owner)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(lease.ProcessId);
            if (process.HasExited)
            {
                return true;
            }

            var started = StartOf(process);
            return lease.ProcessStartedAt is { } recorded && started is { } actual && (actual - recorded).Duration() > TimeSpan.FromSeconds(1);
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private void Renew()
    {
        RunSession[] running;
        lock (_gate)
        {
            if (_running.Count == 0)
            {
                // Nothing ran for a whole period: stop the timer (the next attempt starts it again).
                _timer?.Dispose();
                _timer = null;
                return;
            }

            running = [.. _running];
        }

        foreach (var session in running)
        {
            _ = session.RenewLeaseAsync();
        }
    }

    private static DateTimeOffset? StartOf(Process process)
    {
        try
        {
            return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}
