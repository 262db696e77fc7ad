using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MdiFlow.Activities;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Core.Tests.Support;

/// <summary>Records every side effect activities perform, per step, with the context they saw.</summary>
public sealed class SideEffects
{
    public ConcurrentQueue<(string Step, int Attempt, bool IsRecovery, JsonObject Input)> Calls { get; } = new();

    public int CountOf(string step) => Calls.Count(c => c.Step == step);
}

/// <summary>Input of <see cref="EchoActivity"/>.</summary>
public sealed record EchoInput
{
    public required string Message { get; init; }

    public int Times { get; init; } = 1;
}

/// <summary>Output of <see cref="EchoActivity"/>.</summary>
public sealed record EchoOutput(string Message, int Length);

[Activity("test.echo", Description = "Echoes its message.", Recovery = RecoveryMode.Idempotent)]
internal sealed class EchoActivity(SideEffects effects) : Activity<EchoInput, EchoOutput>
{
    protected override ValueTask<ActivityResult> ExecuteAsync(EchoInput input, ActivityContext context)
    {
        effects.Calls.Enqueue((context.StepId, context.Attempt, context.IsRecovery, context.Input));
        var text = string.Concat(Enumerable.Repeat(input.Message, input.Times));
        return ValueTask.FromResult(Complete(new EchoOutput(text, text.Length)));
    }
}

[Activity("test.onTarget", Description = "Echoes on the target server (a host-affine step).", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true)]
internal sealed class OnTargetActivity(SideEffects effects) : Activity<EchoInput, EchoOutput>
{
    protected override ValueTask<ActivityResult> ExecuteAsync(EchoInput input, ActivityContext context)
    {
        effects.Calls.Enqueue((context.StepId, context.Attempt, context.IsRecovery, context.Input));
        return ValueTask.FromResult(Complete(new EchoOutput(input.Message, input.Message.Length)));
    }
}

/// <summary>Input of <see cref="FlakyActivity"/>.</summary>
public sealed record FlakyInput
{
    /// <summary>Fail this many attempts, then succeed.</summary>
    public int Failures { get; init; }

    public bool Permanent { get; init; }

    public string Code { get; init; } = "test.flaky";
}

[Activity("test.flaky", Description = "Fails a number of times, then succeeds.")]
internal sealed class FlakyActivity(SideEffects effects) : Activity<FlakyInput, NoOutput>
{
    protected override ValueTask<ActivityResult> ExecuteAsync(FlakyInput input, ActivityContext context)
    {
        effects.Calls.Enqueue((context.StepId, context.Attempt, context.IsRecovery, context.Input));
        var failuresSoFar = effects.Calls.Count(c => c.Step == context.StepId) - 1;
        return ValueTask.FromResult(failuresSoFar < input.Failures
            ? ActivityResult.Fail(new ActivityError(input.Code, $"Attempt {context.Attempt} failed on purpose.", input.Permanent))
            : Complete(new NoOutput()));
    }
}

/// <summary>Lets a test hold a step mid-run and release it.</summary>
public sealed class Signals
{
    /// <summary>Released once each time a blocking step is entered.</summary>
    public SemaphoreSlim Entered { get; } = new(0);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

[Activity("test.block", Description = "Waits until released.")]
internal sealed class BlockingActivity(Signals signals) : IActivity
{
    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        signals.Entered.Release();
        await signals.Release.Task.WaitAsync(context.CancellationToken);
        return ActivityResult.Complete();
    }
}

[Activity("test.gate", Description = "Waits for people.")]
internal sealed class GateActivity : IActivity
{
    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        ValueTask.FromResult(ActivityResult.Wait(new GateRequest("review", new JsonObject { ["instructions"] = "check it" })));
}

[Activity("test.crash", Description = "Throws: a bug.")]
internal sealed class CrashingActivity : IActivity
{
    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => throw new InvalidOperationException("boom");
}

/// <summary>Input of <see cref="LeakyActivity"/>.</summary>
public sealed record LeakyInput
{
    public required string Token { get; init; }

    public bool Fail { get; init; }

    /// <summary>A file to create holding the token (tracked as a secret file before it is created).</summary>
    public string? KeyFile { get; init; }

    /// <summary>Wait for release after creating the file (so a test can crash the attempt there).</summary>
    public bool Hold { get; init; }
}

/// <summary>Does everything a careless activity could do with a secret: logs it, outputs it, fails with it, writes it to a file.</summary>
[Activity("test.leaky", Description = "Leaks its token everywhere it can.", Rehearsal = RehearsalMode.Double)]
internal sealed class LeakyActivity(Signals signals) : Activity<LeakyInput, EchoOutput>
{
    public const string FromVault = "vault-secret-9f2c";

    protected override async ValueTask<ActivityResult> ExecuteAsync(LeakyInput input, ActivityContext context)
    {
        context.RegisterSecret(FromVault);
        context.Logger.LogWarning("token is {Token}, vault gave {Vault}", input.Token, FromVault);
        if (input.KeyFile is { } file)
        {
            await context.TrackSecretFileAsync(file);
            await File.WriteAllTextAsync(file, input.Token);
            if (input.Hold)
            {
                signals.Entered.Release();
                await signals.Release.Task.WaitAsync(context.CancellationToken);
            }
        }

        return input.Fail
            ? ActivityResult.Fail(new ActivityError("test.leak", $"failed with {input.Token} and {FromVault}") { Fix = $"use {input.Token}", Details = new Dictionary<string, string> { ["tail"] = $"...{input.Token}..." } })
            : Complete(new EchoOutput($"the token {input.Token} and {FromVault}", input.Token.Length));
    }
}
