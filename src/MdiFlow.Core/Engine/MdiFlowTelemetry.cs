using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MdiFlow.Engine;

/// <summary>The ActivitySource and Meter named <c>MdiFlow</c>, for OpenTelemetry.</summary>
public static class MdiFlowTelemetry
{
    /// <summary>The name of the source and the meter.</summary>
    public const string Name = "MdiFlow";

    /// <summary>Traces of runs and steps.</summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>Counters of steps and instances.</summary>
    public static Meter Meter { get; } = new(Name);

    internal static Counter<long> StepsCompleted { get; } = Meter.CreateCounter<long>("mdiflow.steps.completed");

    internal static Counter<long> StepsFailed { get; } = Meter.CreateCounter<long>("mdiflow.steps.failed");

    internal static Counter<long> InstancesFinished { get; } = Meter.CreateCounter<long>("mdiflow.instances.finished");
}
