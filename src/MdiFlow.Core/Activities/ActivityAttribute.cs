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
}

/// <summary>What re-running an activity after a crash requires.</summary>
public enum RecoveryMode
{
    /// <summary>Running it again has the same effect as running it once.</summary>
    Idempotent,

    /// <summary>It inspects <see cref="ActivityContext.IsRecovery"/> and checks before acting again.</summary>
    CheckFirst,
}
