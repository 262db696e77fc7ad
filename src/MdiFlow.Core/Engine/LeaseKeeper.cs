using System.Diagnostics;
using MdiFlow.Instances;

namespace MdiFlow.Engine;

/// <summary>Takes leases for this process and tells whether another holder is gone.</summary>
internal sealed class LeaseKeeper(EngineOptions options, TimeProvider time)
{
    private static readonly DateTimeOffset? OwnStart = StartOf(Process.GetCurrentProcess());
    private readonly string _owner = Guid.NewGuid().ToString("n");

    public Lease Take() => new(_owner, options.HostName, Environment.ProcessId, OwnStart, time.GetUtcNow() + options.LeaseDuration);

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
