namespace MdiFlow.Journal;

/// <summary>One row of an instance's append-only journal, chained to the one before by a keyed MAC.</summary>
/// <param name="Seq">1 for the first entry of an instance, then consecutive.</param>
/// <param name="At">When it happened.</param>
/// <param name="Kind">What happened; see <see cref="JournalKinds"/>.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="ActorSource">How the actor's identity was established; see <see cref="ActorSources"/>.</param>
/// <param name="Step">The step concerned, if any.</param>
/// <param name="Data">Facts as a JSON object text, if any. Never secrets.</param>
/// <param name="PreviousMac">The MAC of the entry before (empty for the first).</param>
/// <param name="Mac">HMAC-SHA256 under the store's journal key over the instance id, every field above and the previous MAC.</param>
public sealed record JournalEntry(
    long Seq,
    DateTimeOffset At,
    string Kind,
    string Actor,
    string ActorSource,
    string? Step,
    string? Data,
    string PreviousMac,
    string Mac);

/// <summary>The kinds of journal entries the engine writes.</summary>
public static class JournalKinds
{
    /// <summary>The instance was created.</summary>
    public const string InstanceCreated = "instance.created";

    /// <summary>A process took the lease and started (or resumed) running the instance.</summary>
    public const string InstanceResumed = "instance.resumed";

    /// <summary>An interrupted run was recovered.</summary>
    public const string InstanceRecovered = "instance.recovered";

    /// <summary>Every step is done.</summary>
    public const string InstanceCompleted = "instance.completed";

    /// <summary>A step failed after its retries.</summary>
    public const string InstanceFailed = "instance.failed";

    /// <summary>The instance waits at a gate.</summary>
    public const string InstanceWaiting = "instance.waiting";

    /// <summary>The next step must run on another host: this process handed the instance to that host's worker.</summary>
    public const string InstanceHandedOver = "instance.handedOver";

    /// <summary>An operator resumed a failed instance: the failed step gets a new series of attempts.</summary>
    public const string OperatorResumed = "operator.resumed";

    /// <summary>An operator changed inputs of a failed instance (values from and to; secrets by name only).</summary>
    public const string InputsChanged = "operator.inputsChanged";

    /// <summary>An operator skipped a failed step.</summary>
    public const string OperatorSkipped = "operator.skipped";

    /// <summary>An operator cancelled the instance.</summary>
    public const string InstanceCancelled = "instance.cancelled";

    /// <summary>An operator changed a label of the instance (for a rehearsal: its lab profile).</summary>
    public const string LabelChanged = "instance.labelChanged";

    /// <summary>The engine refused to run the instance (policy); the data says why.</summary>
    public const string RunRefused = "run.refused";

    /// <summary>Files a step had tracked as holding secrets were removed (after an attempt, or on recovery).</summary>
    public const string SecretFilesRemoved = "secretFiles.removed";

    /// <summary>An attempt of a step started.</summary>
    public const string StepStarted = "step.started";

    /// <summary>A step completed.</summary>
    public const string StepCompleted = "step.completed";

    /// <summary>An attempt of a step failed.</summary>
    public const string StepFailed = "step.failed";

    /// <summary>A step failed for good and the run went on past it (<c>"onFailure": "continue"</c>).</summary>
    public const string StepContinued = "step.continued";

    /// <summary>A step was skipped (its condition was false, or an operator skipped it).</summary>
    public const string StepSkipped = "step.skipped";
}

/// <summary>How an actor's identity was established.</summary>
public static class ActorSources
{
    /// <summary>The operating-system account running the process.</summary>
    public const string OperatingSystem = "os";

    /// <summary>A name asserted with <c>--as</c> on a rehearsal instance.</summary>
    public const string Asserted = "asserted";

    /// <summary>The engine itself (a condition, a timer).</summary>
    public const string Engine = "engine";

    /// <summary>A person signed in through OpenID Connect (the web page and API).</summary>
    public const string OpenIdConnect = "oidc";
}
