using MdiFlow.Instances;

namespace MdiFlow.Rehearsals;

/// <summary>
/// A rehearsal environment wired into the engine: it replaces the services through which activities declared
/// <see cref="Activities.RehearsalMode.Double"/> reach the world (a lab's Graph, host facts, setup launcher).
/// The engine runs a rehearsal instance only when one is registered and it serves that instance, and never runs a
/// real instance while one is registered.
/// </summary>
public interface IRehearsalEnvironment
{
    /// <summary>What is being rehearsed against, for messages (for example <c>lab profile 'healthy-dc'</c>).</summary>
    string Description { get; }

    /// <summary>A folder of this rehearsal's own: activities confine what they write in a rehearsal to it.</summary>
    string SandboxDirectory { get; }

    /// <summary>Whether this environment is the one set up for <paramref name="instance"/> (each rehearsal has its own).</summary>
    bool Serves(InstanceId instance);
}
