using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MdiFlow.Engine;

/// <summary>
/// The ActivitySource and Meter named <c>MdiFlow</c>, for OpenTelemetry: <c>AddSource(MdiFlowTelemetry.Name)</c> and
/// <c>AddMeter(MdiFlowTelemetry.Name)</c> pick up every span and instrument (names in docs/telemetry.md).
/// </summary>
/// <remarks>With no listener, each instrument costs one check of a flag and each span none.</remarks>
public static class MdiFlowTelemetry
{
    /// <summary>The name of the source and the meter.</summary>
    public const string Name = "MdiFlow";

    /// <summary>Traces of runs (<c>run WORKFLOW</c>) and their steps (<c>step STEP</c>).</summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>Counters and histograms of runs, steps, retries and gates.</summary>
    public static Meter Meter { get; } = new(Name);

    /// <summary>Runs that stopped, by <c>mdiflow.status</c> (completed, waiting, scheduled, failed, ready when interrupted).</summary>
    internal static Counter<long> Runs { get; } = Meter.CreateCounter<long>("mdiflow.runs", "{run}", "Runs of an instance that stopped, by the status the instance stopped in.");

    internal static Histogram<double> RunDuration { get; } = Meter.CreateHistogram<double>("mdiflow.run.duration", "s", "How long a run of an instance took, from taking it to where it stopped.");

    internal static Counter<long> StepsCompleted { get; } = Meter.CreateCounter<long>("mdiflow.steps.completed", "{step}", "Step attempts that completed.");

    internal static Counter<long> StepsFailed { get; } = Meter.CreateCounter<long>("mdiflow.steps.failed", "{step}", "Step attempts that failed (retried or not).");

    internal static Histogram<double> StepDuration { get; } = Meter.CreateHistogram<double>("mdiflow.step.duration", "s", "How long one attempt of a step took, by mdiflow.activity and mdiflow.outcome.");

    internal static Counter<long> Retries { get; } = Meter.CreateCounter<long>("mdiflow.retries", "{retry}", "Retries of a failed step, waited in process or scheduled.");

    internal static Counter<long> InstancesFinished { get; } = Meter.CreateCounter<long>("mdiflow.instances.finished", "{instance}", "Instances that completed or failed.");

    internal static Counter<long> Recoveries { get; } = Meter.CreateCounter<long>("mdiflow.recoveries", "{instance}", "Instances recovered after their process died.");

    internal static Counter<long> LeasesLost { get; } = Meter.CreateCounter<long>("mdiflow.leases.lost", "{lease}", "Runs stopped because another process took their instance over.");

    internal static Counter<long> Conflicts { get; } = Meter.CreateCounter<long>("mdiflow.conflicts", "{save}", "Saves refused because another process changed the instance first.");

    /// <summary>Gates this process opened minus those it saw decided or expired: the waiting gates as this process knows them.</summary>
    internal static UpDownCounter<long> GatesWaiting { get; } = Meter.CreateUpDownCounter<long>("mdiflow.gates.waiting", "{gate}", "Gates opened minus gates decided or expired, as seen by this process.");

    internal static Counter<long> GateDecisions { get; } = Meter.CreateCounter<long>("mdiflow.gate.decisions", "{decision}", "Decisions at gates, by mdiflow.decision (approve, reject, complete, expire, escalate).");
}
