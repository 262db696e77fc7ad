using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Expressions;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Engine;

/// <summary>
/// One process's run of one instance, from taking the lease to where it stops. It follows the run
/// protocol: persist the start of an attempt, run it, persist its outcome with the next position and the
/// journal in one save. A completed step is never run again.
/// </summary>
internal sealed partial class RunSession(
    WorkflowInstance instance,
    PreparedDefinition definition,
    IWorkflowStore store,
    StepExecutor executor,
    LeaseKeeper leases,
    EngineOptions options,
    TimeProvider time,
    RunRequest request,
    JournalKey key,
    GateKeeper gates,
    ILogger log)
{
    private readonly List<JournalEntry> _pending = [];
    private readonly InstanceLifecycle _lifecycle = new(instance);
    private readonly SemaphoreSlim _saveLock = new(1, 1);
    private Exception? _leaseLost;
    private volatile CancellationTokenSource? _renewing;

    public WorkflowInstance Instance => instance;

    /// <summary>Takes the lease (one save: a concurrent taker gets a conflict) and runs until the instance stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!Prepare())
        {
            return;
        }

        _lifecycle.Fire(LifecycleTrigger.Start);
        var lease = leases.Claim(instance);
        instance.DueAt = null;
        Journal(JournalKinds.InstanceResumed, data: new JsonObject { ["host"] = lease.Host, ["pid"] = lease.ProcessId, ["leaseToken"] = lease.Token });
        await SaveAsync(cancellationToken).ConfigureAwait(false);

        while (true)
        {
            var position = NextStep();
            if (position < 0)
            {
                _lifecycle.Fire(LifecycleTrigger.Complete);
                instance.Lease = null;
                var continued = instance.Steps.Count(s => s.Status == StepStatus.FailedContinued);
                Journal(JournalKinds.InstanceCompleted, data: continued == 0 ? null : new JsonObject { ["failedContinued"] = continued });
                MdiFlowTelemetry.InstancesFinished.Add(1);
                await SaveAsync(CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var state = instance.Steps[position];
            var step = definition.Find(state.Id, position)
                ?? throw new InvalidOperationException($"Instance {instance.Id} has a step '{state.Id}' that its definition lacks: the store is corrupt.");
            if (!await RunStepAsync(step, state, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>The position of the first step that is not done, or -1 when all are.</summary>
    private int NextStep()
    {
        var steps = instance.Steps;
        for (var i = 0; i < steps.Count; i++)
        {
            if (!steps[i].Status.IsDone())
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Brings the instance to a state it can start from, or says why not.</summary>
    /// <returns>False when there is nothing to run now (finished, or a retry not yet due).</returns>
    private bool Prepare()
    {
        switch (instance.Status)
        {
            case var final when final.IsFinal():
                return false;
            case InstanceStatus.Scheduled when instance.DueAt > time.GetUtcNow():
                return false;
            case InstanceStatus.Waiting:
                var gate = instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Waiting);
                throw new InstanceStateException(instance.Status, $"Instance {instance.Id} waits at step '{gate?.Id}' ({gate?.Gate?.Kind ?? "gate"}). Approve or complete it first, then resume.");
            case InstanceStatus.Running when instance.Lease is { } lease && !leases.IsDead(lease):
                throw new InstanceStateException(instance.Status, $"Instance {instance.Id} is being run by process {lease.ProcessId} on {lease.Host} (its lease runs until {lease.ExpiresAt:u}). Wait for that run to stop; if that process is gone, resume again after the lease ends.");
            case InstanceStatus.Running:
                _lifecycle.Fire(LifecycleTrigger.Recover);

                EngineLog.Recovering(log, instance.Id, instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Running)?.Id, instance.Lease?.ProcessId, instance.Lease?.Host);
                MdiFlowTelemetry.Recoveries.Add(1);

                // Before anything else: a crashed attempt may have left a secret on disk for a program it started.
                SecretFiles.RemoveInterrupted(instance, (kind, step, data) => Journal(kind, step, data, Actor.Engine));
                Journal(JournalKinds.InstanceRecovered, instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Running)?.Id, new JsonObject
                {
                    ["previousHost"] = instance.Lease?.Host,
                    ["previousPid"] = instance.Lease?.ProcessId,
                });
                break;
            case InstanceStatus.Failed:
                var failed = instance.Steps.First(s => s.Status == StepStatus.Failed);
                _lifecycle.Fire(LifecycleTrigger.Resume);
                failed.Status = StepStatus.Pending;
                failed.NotRetried = null;
                failed.SeriesStart = failed.Attempts;
                Journal(JournalKinds.OperatorResumed, failed.Id, new JsonObject { ["previousError"] = failed.Error?.Code });
                break;
        }

        return true;
    }

    /// <returns>True to go on with the next step.</returns>
    private async Task<bool> RunStepAsync(PreparedStep prepared, StepState state, CancellationToken cancellationToken)
    {
        var step = prepared.Step;
        if (step.When is not null && state.Status == StepStatus.Pending)
        {
            bool holds;
            try
            {
                holds = prepared.ConditionHolds(new BindingScope(instance, secrets: null));
            }
            catch (ExpressionException ex)
            {
                var error = new ActivityError("condition.failed", $"The condition of step '{step.Id}' cannot be evaluated: {ex.Message}.", Permanent: true);
                return await FailAsync(step, state, error, null, TimeSpan.Zero).ConfigureAwait(false);
            }

            if (!holds)
            {
                state.Status = StepStatus.Skipped;
                state.SkipReason = $"its condition is false: {step.When}";
                state.EndedAt = time.GetUtcNow();
                Journal(JournalKinds.StepSkipped, step.Id, new JsonObject { ["reason"] = state.SkipReason }, Actor.Engine);
                await SaveAsync(cancellationToken).ConfigureAwait(false);
                request.Observer?.StepEnded(state, TimeSpan.Zero);
                return true;
            }
        }

        if (state.Host is { } host && !string.Equals(host, options.HostName, StringComparison.OrdinalIgnoreCase))
        {
            await HandOverAsync(step, host).ConfigureAwait(false);
            return false;
        }

        while (true)
        {
            // An attempt that was started and never finished belongs to a process that died.
            var isRecovery = state.Status == StepStatus.Running;
            if (state.Attempts == state.SeriesStart || state.SeriesStartedAt is null)
            {
                state.SeriesStartedAt = time.GetUtcNow();
            }

            var budget = Budget(step, state);
            if (budget <= TimeSpan.Zero)
            {
                return await FailAsync(step, state, TotalTimeoutError(step, state), RetrySchedule.OutOfTime(step, state.Attempts - state.SeriesStart), TimeSpan.Zero).ConfigureAwait(false);
            }

            state.Status = StepStatus.Running;
            state.Attempts++;
            state.StartedAt = time.GetUtcNow();
            leases.Extend(instance);
            Journal(JournalKinds.StepStarted, step.Id, string.Create(CultureInfo.InvariantCulture, $"{{\"attempt\":{state.Attempts},\"recovery\":{(isRecovery ? "true" : "false")}}}"));
            await SaveAsync(cancellationToken).ConfigureAwait(false);
            request.Observer?.StepStarted(state, isRecovery);

            var started = time.GetTimestamp();
            ActivityResult result;
            using (var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                OperationCanceledException? cancelled = null;
                StartRenewing(leaseLost);
                try
                {
                    var attemptTimeout = budget is { } left && (step.Timeout is null || left < step.Timeout) ? left : step.Timeout;
                    result = await executor.ExecuteAsync(instance, prepared, state, new AttemptOptions(isRecovery, request.Actor.Name, attemptTimeout), (path, ct) => TrackSecretFileAsync(state, path, ct), leaseLost.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex)
                {
                    result = null!;
                    cancelled = ex;
                }
                finally
                {
                    await StopRenewingAsync().ConfigureAwait(false);
                    if (SecretFiles.Remove(state) > 0)
                    {
                        Journal(JournalKinds.SecretFilesRemoved, step.Id, new JsonObject { ["after"] = "attempt", ["left"] = state.SecretFiles?.Count ?? 0 }, Actor.Engine);
                    }
                }

                if (cancelled is not null)
                {
                    if (_leaseLost is not null)
                    {
                        EngineLog.LeaseLost(log, instance.Id, step.Id);
                        MdiFlowTelemetry.LeasesLost.Add(1);
                        throw new ConcurrencyException($"This process lost its lease on instance {instance.Id} while step '{step.Id}' ran: another process recovered it. This run stops; the other one continues.", leaseLost: true, _leaseLost);
                    }

                    if (cancellationToken.IsCancellationRequested)
                    {
                        await InterruptAsync().ConfigureAwait(false);
                    }

                    ExceptionDispatchInfo.Throw(cancelled);
                }
            }

            var duration = time.GetElapsedTime(started);
            StepEnded(step, state, result, duration);
            switch (result)
            {
                case ActivityResult.Completed completed:
                    state.Status = StepStatus.Completed;
                    state.Output = completed.Output;
                    state.Error = null;
                    state.NotRetried = null;
                    state.Gate = null;
                    state.EndedAt = time.GetUtcNow();
                    Journal(JournalKinds.StepCompleted, step.Id, string.Create(CultureInfo.InvariantCulture, $"{{\"attempt\":{state.Attempts},\"durationMs\":{(long)duration.TotalMilliseconds}}}"));
                    MdiFlowTelemetry.StepsCompleted.Add(1);
                    await SaveAsync(CancellationToken.None).ConfigureAwait(false);
                    request.Observer?.StepEnded(state, duration);
                    return true;

                case ActivityResult.Waiting waiting:
                    state.Status = StepStatus.Waiting;
                    state.Gate = gates.Open(waiting.Gate, time.GetUtcNow());
                    _lifecycle.Fire(LifecycleTrigger.Wait);
                    instance.Lease = null;
                    EngineLog.GateOpened(log, instance.Id, step.Id, waiting.Gate.Kind);
                    MdiFlowTelemetry.GatesWaiting.Add(1);
                    Journal(JournalKinds.InstanceWaiting, step.Id, new JsonObject { ["gate"] = waiting.Gate.Kind, ["policyHash"] = gates.PolicyHash });
                    await SaveAsync(CancellationToken.None).ConfigureAwait(false);
                    request.Observer?.StepEnded(state, duration);
                    return false;

                case ActivityResult.Failed failed:
                    state.Error = failed.Error;
                    Journal(JournalKinds.StepFailed, step.Id, new JsonObject
                    {
                        ["attempt"] = state.Attempts,
                        ["code"] = failed.Error.Code,
                        ["message"] = failed.Error.Message,
                        ["permanent"] = failed.Error.Permanent,
                    });
                    MdiFlowTelemetry.StepsFailed.Add(1);
                    var policy = step.Retry ?? definition.Definition.Retry ?? RetryPolicy.None;
                    var (delay, stop) = RetrySchedule.Decide(policy, failed.Error, state.Attempts - state.SeriesStart, Random.Shared.NextDouble());
                    if (delay is null)
                    {
                        return await FailAsync(step, state, failed.Error, stop, duration).ConfigureAwait(false);
                    }

                    if (Budget(step, state) is { } remaining && remaining <= delay)
                    {
                        return await FailAsync(step, state, TotalTimeoutError(step, state), RetrySchedule.OutOfTime(step, state.Attempts - state.SeriesStart), duration).ConfigureAwait(false);
                    }

                    state.Status = StepStatus.Pending;
                    request.Observer?.StepEnded(state, duration);
                    MdiFlowTelemetry.Retries.Add(1);
                    if (delay > options.InProcessRetryLimit)
                    {
                        instance.DueAt = time.GetUtcNow() + delay.Value;
                        EngineLog.RetryScheduled(log, step.Id, instance.Id, state.Attempts, failed.Error.Code, instance.DueAt.Value);
                        _lifecycle.Fire(LifecycleTrigger.Schedule);
                        instance.Lease = null;
                        await SaveAsync(CancellationToken.None).ConfigureAwait(false);
                        return false;
                    }

                    EngineLog.RetryWaiting(log, step.Id, instance.Id, state.Attempts, failed.Error.Code, delay.Value);
                    await SaveAsync(CancellationToken.None).ConfigureAwait(false);
                    var wait = Task.Delay(delay.Value, time, cancellationToken);
                    request.Observer?.RetryWaiting(state, delay.Value);
                    await WaitForRetryAsync(wait).ConfigureAwait(false);
                    continue;
            }
        }
    }

    /// <summary>What is left of the step's <c>totalTimeout</c>, or null when it has none.</summary>
    private TimeSpan? Budget(StepDefinition step, StepState state) =>
        step.TotalTimeout is { } total && state.SeriesStartedAt is { } since ? total - (time.GetUtcNow() - since) : null;

    private static ActivityError TotalTimeoutError(StepDefinition step, StepState state) =>
        new("step.totalTimeout", $"Step '{step.Id}' used up its total timeout of {step.TotalTimeout} after {state.Attempts - state.SeriesStart} attempt(s); the last error was: [{state.Error?.Code}] {state.Error?.Message}")
        {
            Fix = state.Error?.Fix,
            Details = state.Error?.Details,
        };

    /// <summary>The step failed for good: the instance fails at it, or, for an <c>"onFailure": "continue"</c> step, the run goes on.</summary>
    /// <returns>True to go on with the next step.</returns>
    private async Task<bool> FailAsync(StepDefinition step, StepState state, ActivityError error, NotRetried? notRetried, TimeSpan duration)
    {
        state.Error = error;
        state.NotRetried = notRetried;
        state.EndedAt = time.GetUtcNow();
        var data = new JsonObject
        {
            ["code"] = error.Code,
            ["attempts"] = state.Attempts - state.SeriesStart,
            ["notRetried"] = notRetried is null ? null : JsonNamingPolicy.CamelCase.ConvertName(notRetried.Reason.ToString()),
        };
        var goOn = step.OnFailure == StepFailure.Continue;
        if (goOn)
        {
            state.Status = StepStatus.FailedContinued;
            Journal(JournalKinds.StepContinued, step.Id, data, Actor.Engine);
        }
        else
        {
            state.Status = StepStatus.Failed;
            _lifecycle.Fire(LifecycleTrigger.Fail);
            instance.Lease = null;
            EngineLog.Failed(log, instance.Id, step.Id, state.Attempts, error.Code);
            Journal(JournalKinds.InstanceFailed, step.Id, data);
            MdiFlowTelemetry.InstancesFinished.Add(1);
        }

        await SaveAsync(CancellationToken.None).ConfigureAwait(false);
        request.Observer?.StepEnded(state, duration);
        return goOn;
    }

    private async Task WaitForRetryAsync(Task wait)
    {
        try
        {
            await wait.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await InterruptAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The next step must run on <paramref name="host"/>: release the instance to that host's worker, which the store's index names.</summary>
    private async Task HandOverAsync(StepDefinition step, string host)
    {
        _lifecycle.Fire(LifecycleTrigger.Interrupt);
        instance.Lease = null;
        Journal(JournalKinds.InstanceHandedOver, step.Id, new JsonObject { ["host"] = host, ["from"] = options.HostName }, Actor.Engine);
        await SaveAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The run was cancelled (shutdown, Ctrl+C): hand the instance back so a later run recovers the step.</summary>
    private async Task InterruptAsync()
    {
        EngineLog.Interrupted(log, instance.Id, instance.Steps.FirstOrDefault(s => s.Status == StepStatus.Running)?.Id);
        _lifecycle.Fire(LifecycleTrigger.Interrupt);
        instance.Lease = null;
        await SaveAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Logs and measures one attempt's end (nothing is formatted or allocated when nobody listens).</summary>
    private void StepEnded(StepDefinition step, StepState state, ActivityResult result, TimeSpan duration)
    {
        var outcome = result switch
        {
            ActivityResult.Completed => "completed",
            ActivityResult.Waiting => "waiting",
            _ => "failed",
        };
        if (MdiFlowTelemetry.StepDuration.Enabled)
        {
            MdiFlowTelemetry.StepDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("mdiflow.activity", step.Uses), new KeyValuePair<string, object?>("mdiflow.outcome", outcome));
        }

        if (log.IsEnabled(LogLevel.Debug))
        {
            EngineLog.StepEnded(log, step.Id, instance.Id, state.Attempts, outcome, (long)duration.TotalMilliseconds);
        }
    }

    private void Journal(string kind, string? step = null, JsonObject? data = null, Actor? actor = null) =>
        _pending.Add(JournalChain.Append(key, instance, actor ?? request.Actor, time.GetUtcNow(), kind, step, data));

    /// <summary>Appends an entry whose data is already JSON object text (the entries of every step).</summary>
    private void Journal(string kind, string step, string data) =>
        _pending.Add(JournalChain.Append(key, instance, request.Actor, time.GetUtcNow(), kind, step, data));

    /// <summary>Records durably, before the activity creates it, that a file will hold a secret of this step.</summary>
    private async ValueTask TrackSecretFileAsync(StepState state, string path, CancellationToken cancellationToken)
    {
        (state.SecretFiles ??= []).Add(path);
        await SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await _saveLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            instance.UpdatedAt = time.GetUtcNow();
            await store.SaveAsync(instance, _pending, cancellationToken).ConfigureAwait(false);
            _pending.Clear();
        }
        catch (ConcurrencyException)
        {
            EngineLog.Conflict(log, instance.Id);
            MdiFlowTelemetry.Conflicts.Add(1);
            throw;
        }
        finally
        {
            _saveLock.Release();
        }
    }
}
