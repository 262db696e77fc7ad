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
/// The instance lifecycle as a Stateless machine over the persisted status: the single place that says
/// which transitions exist. An illegal one is an <see cref="InstanceStateException"/> naming the state
/// and what is allowed in it.
/// </summary>
internal sealed class InstanceLifecycle
{
    private readonly StateMachine<InstanceStatus, LifecycleTrigger> _machine;
    private readonly WorkflowInstance? _instance;

    public InstanceLifecycle(WorkflowInstance instance)
        : this(() => instance.Status, s => instance.Status = s) => _instance = instance;

    private InstanceLifecycle(Func<InstanceStatus> read, Action<InstanceStatus> write)
    {
        _machine = new StateMachine<InstanceStatus, LifecycleTrigger>(read, write, FiringMode.Immediate);
        Configure(_machine);
        _machine.OnUnhandledTrigger((state, trigger) => throw new InstanceStateException(
            state,
            $"{(_instance is null ? "The instance" : $"Instance {_instance.Id}")} is {Name(state)}; it cannot {Verb(trigger)}. {Allowed(state)}"));
    }

    public bool CanFire(LifecycleTrigger trigger) => _machine.CanFire(trigger);

    public void Fire(LifecycleTrigger trigger) => _machine.Fire(trigger);

    /// <summary>The lifecycle as a Mermaid state diagram, generated from the machine itself.</summary>
    public static string ToMermaid() => MermaidGraph.Format(Detached().GetInfo());

    /// <summary>The lifecycle as a DOT graph, generated from the machine itself.</summary>
    public static string ToDot() => UmlDotGraph.Format(Detached().GetInfo());

    private static StateMachine<InstanceStatus, LifecycleTrigger> Detached()
    {
        var machine = new StateMachine<InstanceStatus, LifecycleTrigger>(InstanceStatus.Pending);
        Configure(machine);
        return machine;
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

    private string Allowed(InstanceStatus state)
    {
        var permitted = Enum.GetValues<LifecycleTrigger>().Where(_machine.CanFire).Select(Verb).ToList();
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
