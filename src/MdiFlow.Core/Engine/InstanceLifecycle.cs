using MdiFlow.Instances;
using Stateless;
using Stateless.Graph;

namespace MdiFlow.Engine;

/// <summary>What can happen to an instance.</summary>
internal enum LifecycleTrigger
{
    Start,
    Wait,
    Schedule,
    Fail,
    Complete,
    Approve,
    Reject,
    Cancel,
    Resume,
    Skip,
    Recover,
    Interrupt,
}

/// <summary>
/// The instance lifecycle over the persisted status, as configured with Stateless: the single place that says
/// which transitions exist. An illegal one is an <see cref="InstanceStateException"/> naming the state and what
/// is allowed in it.
/// </summary>
/// <remarks>
/// The machine has no guards or actions, so its transitions are read once into a table (by firing every trigger
/// in every state of the configured machine) and each instance fires through that table: building a Stateless
/// machine per instance cost more than the rest of a resume.
/// </remarks>
internal sealed class InstanceLifecycle(WorkflowInstance instance)
{
    private static readonly InstanceStatus[] States = Enum.GetValues<InstanceStatus>();
    private static readonly LifecycleTrigger[] Triggers = Enum.GetValues<LifecycleTrigger>();
    private static readonly InstanceStatus?[,] Next = Table();

    public bool CanFire(LifecycleTrigger trigger) => Next[(int)instance.Status, (int)trigger] is not null;

    public void Fire(LifecycleTrigger trigger)
    {
        var state = instance.Status;
        instance.Status = Next[(int)state, (int)trigger]
            ?? throw new InstanceStateException(state, $"Instance {instance.Id} is {Name(state)}; it cannot {Verb(trigger)}. {Allowed(state)}");
    }

    /// <summary>The lifecycle as a Mermaid state diagram, generated from the machine itself.</summary>
    public static string ToMermaid() => MermaidGraph.Format(Detached(InstanceStatus.Pending).GetInfo());

    /// <summary>The lifecycle as a DOT graph, generated from the machine itself.</summary>
    public static string ToDot() => UmlDotGraph.Format(Detached(InstanceStatus.Pending).GetInfo());

    private static StateMachine<InstanceStatus, LifecycleTrigger> Detached(InstanceStatus state)
    {
        var machine = new StateMachine<InstanceStatus, LifecycleTrigger>(state);
        Configure(machine);
        return machine;
    }

    private static InstanceStatus?[,] Table()
    {
        var next = new InstanceStatus?[States.Max(s => (int)s) + 1, Triggers.Max(t => (int)t) + 1];
        foreach (var state in States)
        {
            foreach (var trigger in Triggers)
            {
                var machine = Detached(state);
                if (machine.CanFire(trigger))
                {
                    machine.Fire(trigger);
                    next[(int)state, (int)trigger] = machine.State;
                }
            }
        }

        return next;
    }

    private static void Configure(StateMachine<InstanceStatus, LifecycleTrigger> m)
    {
        m.Configure(InstanceStatus.Pending)
            .Permit(LifecycleTrigger.Start, InstanceStatus.Running)
            .Permit(LifecycleTrigger.Cancel, InstanceStatus.Cancelled);
        m.Configure(InstanceStatus.Running)
            .Permit(LifecycleTrigger.Wait, InstanceStatus.Waiting)
            .Permit(LifecycleTrigger.Schedule, InstanceStatus.Scheduled)
            .Permit(LifecycleTrigger.Fail, InstanceStatus.Failed)
            .Permit(LifecycleTrigger.Complete, InstanceStatus.Completed)
            .Permit(LifecycleTrigger.Reject, InstanceStatus.Rejected)
            .Permit(LifecycleTrigger.Interrupt, InstanceStatus.Ready)
            .Permit(LifecycleTrigger.Recover, InstanceStatus.Ready);
        m.Configure(InstanceStatus.Waiting)
            .Permit(LifecycleTrigger.Approve, InstanceStatus.Ready)
            .Permit(LifecycleTrigger.Reject, InstanceStatus.Rejected)
            .Permit(LifecycleTrigger.Cancel, InstanceStatus.Cancelled);
        m.Configure(InstanceStatus.Ready)
            .Permit(LifecycleTrigger.Start, InstanceStatus.Running)
            .Permit(LifecycleTrigger.Cancel, InstanceStatus.Cancelled);
        m.Configure(InstanceStatus.Scheduled)
            .Permit(LifecycleTrigger.Start, InstanceStatus.Running)
            .Permit(LifecycleTrigger.Cancel, InstanceStatus.Cancelled);
        m.Configure(InstanceStatus.Failed)
            .Permit(LifecycleTrigger.Resume, InstanceStatus.Ready)
            .Permit(LifecycleTrigger.Skip, InstanceStatus.Ready)
            .Permit(LifecycleTrigger.Cancel, InstanceStatus.Cancelled);
        m.Configure(InstanceStatus.Completed);
        m.Configure(InstanceStatus.Rejected);
        m.Configure(InstanceStatus.Cancelled);
    }

    private static string Allowed(InstanceStatus state)
    {
        var permitted = Triggers.Where(t => Next[(int)state, (int)t] is not null).Select(Verb).ToList();
        return permitted.Count == 0
            ? $"{Capitalized(Name(state))} is final: nothing more can happen to it."
            : $"Allowed now: {string.Join(", ", permitted)}.";
    }

    internal static string Name(InstanceStatus status) => status.ToString().ToLowerInvariant();

    private static string Capitalized(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private static string Verb(LifecycleTrigger trigger) => trigger switch
    {
        LifecycleTrigger.Start => "run",
        LifecycleTrigger.Wait => "wait at a gate",
        LifecycleTrigger.Schedule => "schedule a retry",
        LifecycleTrigger.Fail => "fail",
        LifecycleTrigger.Complete => "complete",
        LifecycleTrigger.Approve => "be approved",
        LifecycleTrigger.Reject => "be rejected",
        LifecycleTrigger.Cancel => "be cancelled",
        LifecycleTrigger.Resume => "be resumed",
        LifecycleTrigger.Skip => "skip a step",
        LifecycleTrigger.Recover => "be recovered",
        LifecycleTrigger.Interrupt => "be interrupted",
        _ => trigger.ToString(),
    };
}
