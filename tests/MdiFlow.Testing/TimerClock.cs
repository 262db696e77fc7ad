using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Testing;

/// <summary>A fake clock that tells which timers are set on it, so a test advances time only once the code under test waits on it.</summary>
public sealed class TimerClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits until a timer due after <paramref name="dueTime"/> is set (timers of other lengths are passed over).</summary>
    public async Task TimerSetAsync(TimeSpan dueTime)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _timers.Reader.ReadAsync(limit.Token) != dueTime)
        {
        }
    }
}
