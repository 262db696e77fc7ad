using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Expressions;
using MdiFlow.Instances;
using MdiFlow.Rehearsals;
using MdiFlow.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Engine;

/// <summary>Runs one attempt of one step: binds its input, resolves the activity, applies the timeout.</summary>
/// <remarks>
/// Every secret the attempt sees — resolved by its bindings or registered by the activity — is masked in what the
/// attempt returns and logs, before anything is stored or printed.
/// </remarks>
internal sealed class StepExecutor(IServiceProvider services, ActivityCatalog catalog, TimeProvider time, ILoggerFactory loggers, IRehearsalEnvironment? rehearsal)
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public async ValueTask<ActivityResult> ExecuteAsync(WorkflowInstance instance, PreparedStep prepared, StepState state, AttemptOptions attempt, Func<string, CancellationToken, ValueTask> trackSecretFile, CancellationToken cancellationToken)
    {
        var mask = new SecretMask();
        return mask.Mask(await ExecuteAsync(instance, prepared, state, attempt, trackSecretFile, mask, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<ActivityResult> ExecuteAsync(WorkflowInstance instance, PreparedStep prepared, StepState state, AttemptOptions attempt, Func<string, CancellationToken, ValueTask> trackSecretFile, SecretMask mask, CancellationToken cancellationToken)
    {
        var step = prepared.Step;
        var descriptor = catalog.Find(step.Uses);
        if (descriptor is null)
        {
            return ActivityResult.FailPermanently("activity.notInstalled", $"Step '{step.Id}' uses '{step.Uses}', which is not installed in this process. Install the plugin that provides it, then resume.");
        }

        if (prepared.Bindings.OutputsRead.Select(instance.FindStep).FirstOrDefault(s => s?.Status == StepStatus.FailedContinued) is { } failedEarlier)
        {
            return ActivityResult.Fail(new ActivityError(
                "binding.stepFailed",
                $"The input of step '{step.Id}' reads the output of step '{failedEarlier.Id}', which failed ([{failedEarlier.Error?.Code}]) and was continued past, so it has no output.",
                Permanent: true)
            {
                Fix = $"Fix what made '{failedEarlier.Id}' fail and run the workflow again; or give step '{step.Id}' a condition on steps.{failedEarlier.Id}.status.",
            });
        }

        JsonObject input;
        try
        {
            input = prepared.Bind(new BindingScope(instance, mask));
        }
        catch (ExpressionException ex)
        {
            return ActivityResult.FailPermanently("binding.failed", $"The input of step '{step.Id}' cannot be bound: {ex.Message}.");
        }
        catch (SecretException ex)
        {
            return ActivityResult.FailPermanently("secret.unavailable", ex.Message);
        }

        using var timeout = attempt.Timeout is { } t ? new CancellationTokenSource(t, time) : null;
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        await using var scope = services.CreateAsyncScope();
        IActivity activity;
        try
        {
            activity = (IActivity)scope.ServiceProvider.GetRequiredService(descriptor.Implementation);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A missing service, or a constructor that threw: the step fails, the host and the instance carry on.
            return ActivityResult.Fail(new ActivityError("activity.unresolvable", $"The activity '{descriptor.Name}' of step '{step.Id}' cannot be created in this process: {ex.Message}", Permanent: true)
            {
                Fix = "Register the services the activity needs (its plugin's Add... extension) in the host, then resume.",
            });
        }

        var logger = _loggers.GetOrAdd(descriptor.Name, static (name, factory) => factory.CreateLogger("MdiFlow.Activities." + name), loggers);
        var context = new Activities.ActivityContext(instance.Id, step.Id, input)
        {
            Attempt = state.Attempts,
            IsRecovery = attempt.IsRecovery,
            Actor = attempt.Actor,
            Time = time,
            Logger = new MaskingLogger(logger, mask),
            CancellationToken = linked?.Token ?? cancellationToken,
            Rehearsal = instance.IsRehearsal ? rehearsal : null,
            SecretFileTracker = trackSecretFile,
            SecretSink = mask.Add,
        };

        using var trace = MdiFlowTelemetry.Source.HasListeners() ? MdiFlowTelemetry.Source.StartActivity("step " + step.Id) : null;
        trace?.SetTag("mdiflow.instance", instance.Id.Value);
        trace?.SetTag("mdiflow.activity", descriptor.Name);
        trace?.SetTag("mdiflow.attempt", state.Attempts);
        try
        {
            var result = await activity.ExecuteAsync(context).ConfigureAwait(false);
            trace?.SetStatus(result is ActivityResult.Failed ? ActivityStatusCode.Error : ActivityStatusCode.Ok);
            return result;
        }
        catch (OperationCanceledException) when (timeout is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            return ActivityResult.Fail(new ActivityError("step.timedOut", $"Attempt {state.Attempts} of step '{step.Id}' took longer than {attempt.Timeout} and was cancelled."));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            trace?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            return ActivityResult.Fail(new ActivityError("activity.crashed", $"The activity '{descriptor.Name}' threw {ex.GetType().Name}: {ex.Message}. This is a bug in the activity; report it with the instance's journal.", Permanent: true)
            {
                Details = new Dictionary<string, string> { ["exception"] = ex.GetType().FullName ?? ex.GetType().Name },
            });
        }
    }
}

/// <summary>How one attempt runs: whether it recovers an interrupted one, for whom, and how long it may take.</summary>
internal readonly record struct AttemptOptions(bool IsRecovery, string Actor, TimeSpan? Timeout);
