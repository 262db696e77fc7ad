using MdiFlow.Activities;
using MdiFlow.Plugins.Standard.Tests.Support;
using MdiFlow.Plugins.Standard.Timing;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Plugins.Standard.Tests.Timing;

public sealed class DelayActivityTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly DelayActivity _activity = new();

    [Theory]
    [InlineData("PT30S")]
    [InlineData("00:00:30")]
    public async Task Waits_for_the_duration_on_the_engine_clock(string duration)
    {
        var run = _activity.RunAsync(new DelayInput { Duration = duration }, _time).AsTask();

        _time.Advance(TimeSpan.FromSeconds(29));
        run.IsCompleted.Should().BeFalse();

        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await run;
        result.Should().Be(ActivityResult.Complete());
    }

    [Fact]
    public async Task A_zero_duration_completes_at_once()
    {
        var result = await _activity.RunAsync(new DelayInput { Duration = "PT0S" }, _time);

        result.Should().BeOfType<ActivityResult.Completed>();
    }

    [Fact]
    public async Task Waits_longer_than_Task_Delay_allows_in_one_call()
    {
        var run = _activity.RunAsync(new DelayInput { Duration = "P60D" }, _time).AsTask();

        // Advance off xunit's synchronization context: under it, the activity's next wait would be
        // queued to the thread pool instead of starting inline before the clock moves on.
        await Task.Run(() =>
        {
            _time.Advance(TimeSpan.FromDays(30));
            _time.Advance(TimeSpan.FromDays(29));
        });
        run.IsCompleted.Should().BeFalse();

        await Task.Run(() => _time.Advance(TimeSpan.FromDays(1)));
        (await run).Should().BeOfType<ActivityResult.Completed>();
    }

    [Fact]
    public async Task A_duration_that_does_not_parse_is_an_invalid_input_with_the_exact_message()
    {
        var error = (await _activity.RunAsync(new DelayInput { Duration = "thirty seconds" }, _time)).ShouldFail("activity.invalidInput");

        error.Message.Should().Be("The input of step 'step' is not usable: 'duration' is \"thirty seconds\", which is not a duration such as \"PT30S\" (ISO 8601) or \"00:00:30\"; negative durations are not allowed.");
    }

    [Fact]
    public async Task A_missing_duration_is_an_invalid_input()
    {
        var result = await _activity.RunAsync(new System.Text.Json.Nodes.JsonObject(), _time);

        result.ShouldFail("activity.invalidInput");
    }

    [Fact]
    public async Task Cancellation_ends_the_wait()
    {
        using var cancel = new CancellationTokenSource();
        var run = _activity.RunAsync(new DelayInput { Duration = "PT1H" }, _time, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await run.Invoking(r => r).Should().ThrowAsync<OperationCanceledException>();
    }
}
