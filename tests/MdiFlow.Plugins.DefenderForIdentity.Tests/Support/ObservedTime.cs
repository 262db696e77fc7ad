using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer created on it, so a test can wait until the code
/// under test is waiting (a retry delay) and then advance exactly past it: no sleeps, no guessing.
/// </summary>
internal sealed class ObservedTime : TimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2025, 3, 14, 10, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits for the next timer due within <paramref name="shorterThan"/> (a retry delay, not a timeout).</summary>
    public async Task<TimeSpan> NextDelayAsync(TimeSpan shorterThan, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            // The limit only keeps a broken test from hanging; nothing waits on it in a passing run.
            var due = await _timers.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            if (due > TimeSpan.Zero && due < shorterThan)
            {
                return due;
            }
        }
    }

    /// <summary>Advances past each retry delay until <paramref name="work"/> completes; returns the delays.</summary>
    public async Task<IReadOnlyList<TimeSpan>> DriveAsync(Task work, TimeSpan shorterThan)
    {
        var delays = new List<TimeSpan>();
        using var done = new CancellationTokenSource();
        while (!work.IsCompleted)
        {
            var next = NextDelayAsync(shorterThan, done.Token);
            if (await Task.WhenAny(work, next) == work)
            {
                await done.CancelAsync();
                break;
            }

            var due = await next;
            delays.Add(due);
            Fake.Advance(due);
        }

        await work;
        return delays;
    }
}
