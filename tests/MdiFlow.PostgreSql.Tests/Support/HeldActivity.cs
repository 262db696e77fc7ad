using MdiFlow.Activities;

namespace MdiFlow.PostgreSql.Tests.Support;

/// <summary>Signals between a test and <see cref="HeldActivity"/>: the step entered, and the test lets it finish.</summary>
internal sealed class HeldSignals
{
    public SemaphoreSlim Entered { get; } = new(0);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A step that holds until the test releases it (or its attempt is cancelled): a worker paused mid-step.</summary>
[Activity("test.held", Description = "Holds until released.", Recovery = RecoveryMode.Idempotent)]
internal sealed class HeldActivity(HeldSignals signals) : Activity<NoInput, NoOutput>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(NoInput input, ActivityContext context)
    {
        signals.Entered.Release();
        await signals.Release.Task.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        return Complete(new NoOutput());
    }
}

/// <summary>No input.</summary>
internal sealed record NoInput;

/// <summary>No output.</summary>
internal sealed record NoOutput;
