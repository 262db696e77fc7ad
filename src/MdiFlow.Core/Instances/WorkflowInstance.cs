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
    [JsonInclude]
    public InstanceId Id { get; internal init; }

    /// <summary>The workflow's id.</summary>
    [JsonInclude]
    public string WorkflowId { get; internal init; } = "";

    /// <summary>The workflow's version.</summary>
    [JsonInclude]
    public string WorkflowVersion { get; internal init; } = "";

    /// <summary>SHA-256 of the canonical definition snapshot.</summary>
    [JsonInclude]
    public string DefinitionHash { get; internal init; } = "";

    /// <summary>The definition the instance started with; editing the file later changes nothing.</summary>
    /// <remarks>
    /// Not part of the stored document: a store keeps each definition once, under its <see cref="DefinitionHash"/>,
    /// and attaches it to every instance it reads (copied on first read, so nothing is shared with the store).
    /// </remarks>
    [JsonIgnore]
    public JsonObject Definition
    {
        get => _definition ??= _storedDefinition is { } stored ? (JsonObject)stored.DeepClone() : [];
        internal init => _definition = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The non-secret inputs.</summary>
    [JsonInclude]
    public JsonObject Inputs
    {
        get => _inputs ??= [];
        internal init => _inputs = value;
    }

    /// <summary>Secret inputs by reference (<c>env:NAME</c>, <c>file:PATH</c>), never by value.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string> SecretReferences => SecretMap;

    [JsonInclude]
    [JsonPropertyName("secretReferences")]
    internal Dictionary<string, string> SecretMap
    {
        get => _secretReferences ??= new(StringComparer.Ordinal);
        init => _secretReferences = value;
    }

    /// <summary>The lifecycle status.</summary>
    [JsonInclude]
    public InstanceStatus Status { get; internal set; }

    /// <summary>Incremented by every save; a save with a stale version is refused.</summary>
    [JsonInclude]
    public long Version { get; internal set; }

    /// <summary>When it was created.</summary>
    [JsonInclude]
    public DateTimeOffset CreatedAt { get; internal init; }

    /// <summary>When it last changed.</summary>
    [JsonInclude]
    public DateTimeOffset UpdatedAt { get; internal set; }

    /// <summary>Who started it.</summary>
    [JsonInclude]
    public string Requester { get; internal init; } = "";

    /// <summary>
    /// True for rehearsals: instances whose steps run against a rehearsal environment and never perform real effects.
    /// Only rehearsals accept asserted identities.
    /// </summary>
    [JsonInclude]
    public bool IsRehearsal { get; internal init; }

    /// <summary>Labels an operator or a tool attaches (for a rehearsal, <c>lab.profile</c>); changing one is journaled.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string> Labels => LabelMap;

    [JsonInclude]
    [JsonPropertyName("labels")]
    internal Dictionary<string, string> LabelMap
    {
        get => _labels ??= new(StringComparer.Ordinal);
        init => _labels = value;
    }

    /// <summary>Steps in definition order.</summary>
    [JsonIgnore]
    public IReadOnlyList<StepState> Steps => StepList;

    [JsonInclude]
    [JsonPropertyName("steps")]
    internal List<StepState> StepList
    {
        get => _steps ??= [];
        init => _steps = value;
    }

    /// <summary>The process that holds the instance while it runs.</summary>
    [JsonInclude]
    public Lease? Lease { get; internal set; }

    /// <summary>
    /// The fencing token of the last lease taken on the instance: it grows by one with every claim and never goes
    /// back, so a store refuses the save of a holder whose lease was taken over (its <see cref="Lease.Token"/> is lower).
    /// </summary>
    [JsonInclude]
    public long LeaseToken { get; internal set; }

    /// <summary>When a scheduled retry is due.</summary>
    [JsonInclude]
    public DateTimeOffset? DueAt { get; internal set; }

    /// <summary>The number of the last journal entry.</summary>
    [JsonInclude]
    public long JournalSeq { get; internal set; }

    /// <summary>The hash of the last journal entry (the chain's head).</summary>
    [JsonInclude]
    public string JournalHead { get; internal set; } = "";

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
    [JsonInclude]
    public string Id { get; internal init; } = "";

    /// <summary>The activity name.</summary>
    [JsonInclude]
    public string Uses { get; internal init; } = "";

    /// <summary>Its status.</summary>
    [JsonInclude]
    public StepStatus Status { get; internal set; }

    /// <summary>Attempts started so far.</summary>
    [JsonInclude]
    public int Attempts { get; internal set; }

    /// <summary>The value of <see cref="Attempts"/> when the current series of attempts began (an operator's resume starts a new one).</summary>
    [JsonInclude]
    public int SeriesStart { get; internal set; }

    /// <summary>When the first attempt of the current series started (the clock of <c>totalTimeout</c>).</summary>
    [JsonInclude]
    public DateTimeOffset? SeriesStartedAt { get; internal set; }

    /// <summary>When the latest attempt started.</summary>
    [JsonInclude]
    public DateTimeOffset? StartedAt { get; internal set; }

    /// <summary>When it completed, failed or was skipped.</summary>
    [JsonInclude]
    public DateTimeOffset? EndedAt { get; internal set; }

    /// <summary>The output of a completed step.</summary>
    [JsonInclude]
    public JsonNode? Output { get; internal set; }

    /// <summary>The last error.</summary>
    [JsonInclude]
    public ActivityError? Error { get; internal set; }

    /// <summary>For a step that failed for good: why it was not attempted again.</summary>
    [JsonInclude]
    public NotRetried? NotRetried { get; internal set; }

    /// <summary>Why it was skipped.</summary>
    [JsonInclude]
    public string? SkipReason { get; internal set; }

    /// <summary>The gate it waits at.</summary>
    [JsonInclude]
    public GateRequest? Gate { get; internal set; }

    /// <summary>Files the running attempt said hold secrets; the engine deletes them when the attempt ends or is recovered.</summary>
    [JsonInclude]
    [JsonPropertyName("secretFiles")]
    internal List<string>? SecretFiles { get; set; }

    /// <summary>
    /// The host whose worker must run this step (its activity must run on the target server: an <c>mdi.*</c> check of
    /// the host, the install), or null when any worker may. Set when the instance starts, from the instance's
    /// <see cref="InstanceLabels.Host"/>.
    /// </summary>
    [JsonInclude]
    public string? Host { get; internal set; }
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
