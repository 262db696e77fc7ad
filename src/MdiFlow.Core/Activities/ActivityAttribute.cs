namespace MdiFlow.Activities;

/// <summary>Names an activity and declares how the engine may treat it.</summary>
/// <param name="name">The name workflow files use in <c>uses</c>, for example <c>zip.extract</c>.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActivityAttribute(string name) : Attribute
{
    /// <summary>The name workflow files use in <c>uses</c>.</summary>
    public string Name { get; } = name;

    /// <summary>One sentence shown by <c>mdiflow activities</c>.</summary>
    public string Description { get; init; } = "";

    /// <summary>What re-running the activity after a crash requires.</summary>
    public RecoveryMode Recovery { get; init; } = RecoveryMode.CheckFirst;

    /// <summary>Whether the activity must run on the target host (for example a domain controller).</summary>
    public bool RunsOnTarget { get; init; }

    /// <summary>
    /// What the activity does in a rehearsal. <see cref="RehearsalMode.None"/> (the default) means it performs real
    /// effects and has no double: a rehearsal that uses it is refused unless the step says <c>"rehearse": "run"</c>
    /// and the organisation policy allows that.
    /// </summary>
    public RehearsalMode Rehearsal { get; init; } = RehearsalMode.None;

    /// <summary>
    /// Whether the activity is a gate: it stops the instance until people act (an approval, a manual task, or an
    /// embedder's own kind). A gate step can never be skipped.
    /// </summary>
    public bool IsGate { get; init; }
}

/// <summary>What re-running an activity after a crash requires.</summary>
public enum RecoveryMode
{
    /// <summary>Running it again has the same effect as running it once.</summary>
    Idempotent,

    /// <summary>It inspects <see cref="ActivityContext.IsRecovery"/> and checks before acting again.</summary>
    CheckFirst,
}

/// <summary>What an activity does when it runs in a rehearsal (an instance started with <c>--lab</c>).</summary>
public enum RehearsalMode
{
    /// <summary>It performs real effects on the host or the network and has no double; rehearsals refuse it.</summary>
    None,

    /// <summary>It has no effect outside MdiFlow (a gate, a delay, reading a hash): it runs as it is.</summary>
    Harmless,

    /// <summary>
    /// Every effect it has goes through services that a rehearsal environment (<see cref="Rehearsals.IRehearsalEnvironment"/>)
    /// replaces, or it confines what it writes to <see cref="Rehearsals.IRehearsalEnvironment.SandboxDirectory"/>.
    /// The engine runs it in a rehearsal only when such an environment is wired.
    /// </summary>
    Double,
}
