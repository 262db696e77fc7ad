using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MdiFlow.Activities;

namespace MdiFlow.Instances;

/// <summary>
/// The persisted state of one run: a snapshot of its definition, its inputs (never secret values),
/// every step's state, the lease of the process running it, and the head of its journal.
/// Stores keep it as one document with its <see cref="Version"/> for optimistic concurrency.
/// </summary>
public sealed class WorkflowInstance
{
    // Defaults are made on first read: stores copy and read instances by the thousand, and set every one of these.
    private JsonObject? _definition;
    private JsonObject? _storedDefinition;
    private JsonObject? _inputs;
    private Dictionary<string, string>? _secretReferences;
    private Dictionary<string, string>? _labels;
    private List<StepState>? _steps;

    /// <summary>The instance id.</summary>
    public required InstanceId Id { get; init; }

    /// <summary>The workflow's id.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The workflow's version.</summary>
    public required string WorkflowVersion { get; init; }

    /// <summary>SHA-256 of the canonical definition snapshot.</summary>
    public required string DefinitionHash { get; init; }

    /// <summary>The definition the instance started with; editing the file later changes nothing.</summary>
    /// <remarks>
    /// Not part of the stored document: a store keeps each definition once, under its <see cref="DefinitionHash"/>,
    /// and attaches it to every instance it reads (copied on first read, so nothing is shared with the store).
    /// </remarks>
    [JsonIgnore]
    public JsonObject Definition
    {
        get => _definition ??= _storedDefinition is { } stored ? (JsonObject)stored.DeepClone() : [];
        init => _definition = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The non-secret inputs.</summary>
    public JsonObject Inputs
    {
        get => _inputs ??= [];
        init => _inputs = value;
    }

    /// <summary>Secret inputs by reference (<c>env:NAME</c>, <c>file:PATH</c>), never by value.</summary>
    public Dictionary<string, string> SecretReferences
    {
        get => _secretReferences ??= new(StringComparer.Ordinal);
        init => _secretReferences = value;
    }

    /// <summary>The lifecycle status.</summary>
    public InstanceStatus Status { get; set; }

    /// <summary>Incremented by every save; a save with a stale version is refused.</summary>
    public long Version { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who started it.</summary>
    public string Requester { get; init; } = "";

    /// <summary>
    /// True for rehearsals: instances whose steps run against a rehearsal environment and never perform real effects.
    /// Only rehearsals accept asserted identities.
    /// </summary>
    public bool IsRehearsal { get; init; }

    /// <summary>Labels an operator or a tool attaches (for a rehearsal, <c>lab.profile</c>); changing one is journaled.</summary>
    public Dictionary<string, string> Labels
    {
        get => _labels ??= new(StringComparer.Ordinal);
        init => _labels = value;
    }

    /// <summary>Steps in definition order.</summary>
    public List<StepState> Steps
    {
        get => _steps ??= [];
        init => _steps = value;
    }

    /// <summary>The process that holds the instance while it runs.</summary>
    public Lease? Lease { get; set; }

    /// <summary>
    /// The fencing token of the last lease taken on the instance: it grows by one with every claim and never goes
    /// back, so a store refuses the save of a holder whose lease was taken over (its <see cref="Lease.Token"/> is lower).
    /// </summary>
    public long LeaseToken { get; set; }

    /// <summary>When a scheduled retry is due.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>The number of the last journal entry.</summary>
    public long JournalSeq { get; set; }

    /// <summary>The hash of the last journal entry (the chain's head).</summary>
    public string JournalHead { get; set; } = "";

    /// <summary>Finds a step by id.</summary>
    public StepState? FindStep(string stepId)
    {
        foreach (var step in Steps)
        {
            if (step.Id == stepId)
            {
                return step;
            }
        }

        return null;
    }

    /// <summary>
    /// Gives an instance read from a stored document the definition the store keeps under its hash. The store's
    /// object is never changed through this instance: it is copied when <see cref="Definition"/> is first read.
    /// </summary>
    internal void AttachDefinition(JsonObject stored)
    {
        _storedDefinition = stored;
        _definition = null;
    }
}

/// <summary>The persisted state of one step.</summary>
public sealed class StepState
{
    /// <summary>The step id.</summary>
    public required string Id { get; init; }

    /// <summary>The activity name.</summary>
    public required string Uses { get; init; }

    /// <summary>Its status.</summary>
    public StepStatus Status { get; set; }

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; set; }

    /// <summary>The value of <see cref="Attempts"/> when the current series of attempts began (an operator's resume starts a new one).</summary>
    public int SeriesStart { get; set; }

    /// <summary>When the first attempt of the current series started (the clock of <c>totalTimeout</c>).</summary>
    public DateTimeOffset? SeriesStartedAt { get; set; }

    /// <summary>When the latest attempt started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it completed, failed or was skipped.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The output of a completed step.</summary>
    public JsonNode? Output { get; set; }

    /// <summary>The last error.</summary>
    public ActivityError? Error { get; set; }

    /// <summary>For a step that failed for good: why it was not attempted again.</summary>
    public NotRetried? NotRetried { get; set; }

    /// <summary>Why it was skipped.</summary>
    public string? SkipReason { get; set; }

    /// <summary>The gate it waits at.</summary>
    public GateRequest? Gate { get; set; }

    /// <summary>Files the running attempt said hold secrets; the engine deletes them when the attempt ends or is recovered.</summary>
    public List<string>? SecretFiles { get; set; }

    /// <summary>
    /// The host whose worker must run this step (its activity must run on the target server: an <c>mdi.*</c> check of
    /// the host, the install), or null when any worker may. Set when the instance starts, from the instance's
    /// <see cref="InstanceLabels.Host"/>.
    /// </summary>
    public string? Host { get; set; }
}

/// <summary>Labels the engine itself gives meaning to.</summary>
public static class InstanceLabels
{
    /// <summary>
    /// The target host of an instance (<c>DC01</c>): its host-affine steps run only on that host's worker. Given in
    /// <see cref="Engine.StartRequest.Labels"/>; when absent, the host that starts the instance.
    /// </summary>
    public const string Host = "host";
}

/// <summary>Who holds a running instance, and until when.</summary>
/// <param name="Owner">A unique token of the holder.</param>
/// <param name="Host">The machine name of the holder.</param>
/// <param name="ProcessId">The holder's process id.</param>
/// <param name="ProcessStartedAt">When the holder's process started, to tell a reused process id.</param>
/// <param name="ExpiresAt">After this time anyone may recover the instance.</param>
/// <param name="Token">The fencing token of this claim (see <see cref="WorkflowInstance.LeaseToken"/>); 0 for a lease written before tokens.</param>
public sealed record Lease(string Owner, string Host, int ProcessId, DateTimeOffset? ProcessStartedAt = null, DateTimeOffset ExpiresAt = default, long Token = 0);
