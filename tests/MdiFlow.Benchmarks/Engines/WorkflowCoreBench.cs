using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace MdiFlow.Benchmarks.Engines;

/// <summary>
/// Workflow Core 3.22.0 as its README hosts it: <c>services.AddWorkflow()</c> with its default in-memory
/// persistence, queue and lock providers, and its default options.
/// </summary>
internal sealed class WorkflowCoreBench : IAsyncDisposable
{
    public const string ApprovalEvent = "approval";

    private readonly ServiceProvider _provider;

    private WorkflowCoreBench()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkflow();
        services.AddSingleton(Signals);
        services.AddTransient<NoOpStep>();
        services.AddTransient<FinishStep>();
        services.AddTransient<ProbeStep>();
        _provider = services.BuildServiceProvider();
        Host = _provider.GetRequiredService<IWorkflowHost>();
        Persistence = _provider.GetRequiredService<IPersistenceProvider>();
        Host.RegisterWorkflow<TenNoOpsWorkflow>();
        Host.RegisterWorkflow<GatedWorkflow, object>();
    }

    public IWorkflowHost Host { get; }

    public IPersistenceProvider Persistence { get; }

    public WorkflowCoreSignals Signals { get; } = new();

    public static async Task<WorkflowCoreBench> StartAsync(CancellationToken cancellationToken)
    {
        var bench = new WorkflowCoreBench();
        await bench.Host.StartAsync(cancellationToken).ConfigureAwait(false);
        return bench;
    }

    /// <summary>Waits until the gated instance has subscribed to its approval event (its <c>WaitFor</c> step ran).</summary>
    public async Task WaitUntilSubscribedAsync(string id, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!(await Persistence.GetSubscriptions(ApprovalEvent, id, DateTime.UtcNow.AddMinutes(1), cancellationToken).ConfigureAwait(false)).Any())
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new TimeoutException($"Workflow Core instance {id} never reached its WaitFor step.");
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _provider.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Ten no-op steps; the tenth also counts the instance as done.</summary>
internal sealed class TenNoOpsWorkflow : IWorkflow
{
    public string Id => "bench-noops";

    public int Version => 1;

    public void Build(IWorkflowBuilder<object> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var step = builder.StartWith<NoOpStep>();
        for (var i = 2; i < 10; i++)
        {
            step = step.Then<NoOpStep>();
        }

        step.Then<FinishStep>();
    }
}

/// <summary>A step, a wait for the approval event keyed by the instance id, then the probed step.</summary>
internal sealed class GatedWorkflow : IWorkflow<object>
{
    public string Id => "bench-gated";

    public int Version => 1;

    public void Build(IWorkflowBuilder<object> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.StartWith<NoOpStep>()
            .WaitFor(WorkflowCoreBench.ApprovalEvent, (_, context) => context.Workflow.Id)
            .Then<ProbeStep>();
    }
}

internal sealed class NoOpStep : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context) => ExecutionResult.Next();
}

internal sealed class FinishStep(WorkflowCoreSignals signals) : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context)
    {
        signals.Finished();
        return ExecutionResult.Next();
    }
}

internal sealed class ProbeStep(WorkflowCoreSignals signals) : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        signals.Probe.Hit(context.Workflow.Id);
        return ExecutionResult.Next();
    }
}

/// <summary>What the Workflow Core steps report to the harness.</summary>
internal sealed class WorkflowCoreSignals
{
    private int _finished;
    private int _expected = int.MaxValue;
    private TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ProbeSignals Probe { get; } = new();

    /// <summary>Expects <paramref name="count"/> instances to finish from now on.</summary>
    public Task Expect(int count)
    {
        _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _finished, 0);
        Volatile.Write(ref _expected, count);
        return _all.Task;
    }

    public int FinishedCount => Volatile.Read(ref _finished);

    public void Finished()
    {
        if (Interlocked.Increment(ref _finished) == Volatile.Read(ref _expected))
        {
            _all.TrySetResult();
        }
    }
}
