using System.Text.Json.Nodes;

namespace MdiFlow.Web.Api;

/// <summary>One line of <c>GET /api/instances</c>: the shape of <c>mdiflow list --json</c>.</summary>
/// <param name="InstanceId">The instance id.</param>
/// <param name="WorkflowId">The workflow id.</param>
/// <param name="Status">pending, running, waiting, ready, scheduled, failed, completed, rejected or cancelled.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record InstanceListItem(string InstanceId, string WorkflowId, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One instance: the shape of <c>mdiflow show ID --json</c> (and of <c>approve</c>/<c>reject</c>/<c>complete --json</c>).</summary>
/// <param name="InstanceId">The instance id.</param>
/// <param name="Status">Its status.</param>
/// <param name="Workflow">The workflow and the hash of the definition snapshot.</param>
/// <param name="Requester">Who started it.</param>
/// <param name="Rehearsal">Whether it is a rehearsal.</param>
/// <param name="Lab">Whether it is a rehearsal (the older name of <paramref name="Rehearsal"/>).</param>
/// <param name="Labels">Its labels (for a rehearsal, <c>lab.profile</c>).</param>
/// <param name="Journal">How many journal entries it records, and the last one's MAC (the head to quote).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="DueAt">When a scheduled retry is due.</param>
/// <param name="Steps">Every step.</param>
/// <param name="WaitingAt">The gate it waits at, with its details (approvers, decisions, instructions).</param>
/// <param name="Lease">The process running it.</param>
public sealed record InstanceDocument(
    string InstanceId,
    string Status,
    WorkflowReference Workflow,
    string Requester,
    bool Rehearsal,
    bool Lab,
    IReadOnlyDictionary<string, string> Labels,
    JournalHeadDocument Journal,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DueAt,
    IReadOnlyList<StepDocument> Steps,
    WaitingAtDocument? WaitingAt,
    LeaseDocument? Lease);

/// <summary>Where an instance's journal ends: the head to quote in a change ticket.</summary>
/// <param name="Entries">How many entries.</param>
/// <param name="Head">The last entry's MAC.</param>
public sealed record JournalHeadDocument(long Entries, string Head);

/// <summary>The workflow an instance runs.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Version">Its version.</param>
/// <param name="Hash">SHA-256 of the definition snapshot.</param>
public sealed record WorkflowReference(string Id, string Version, string Hash);

/// <summary>One step of an instance.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Uses">The activity.</param>
/// <param name="Status">pending, running, waiting, completed, failed or skipped.</param>
/// <param name="Attempts">Attempts started.</param>
/// <param name="StartedAt">When the latest attempt started.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Error">The last error, with its documented fix.</param>
/// <param name="SkipReason">Why it was skipped.</param>
/// <param name="Output">The output of a completed step (the facts it gathered).</param>
public sealed record StepDocument(string Id, string Uses, string Status, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, ErrorDocument? Error, string? SkipReason, JsonNode? Output)
{
    /// <summary>For a step that failed for good: why it was not attempted again.</summary>
    public NotRetriedDocument? NotRetried { get; init; }
}

/// <summary>Why a failed step was not attempted again.</summary>
/// <param name="Reason">singleAttempt, permanent, nonRetryable, notInRetryOn, attemptsUsed or totalTimeout.</param>
/// <param name="Explanation">The same in a sentence, with the codes and counts involved.</param>
public sealed record NotRetriedDocument(string Reason, string Explanation);

/// <summary>A step's error.</summary>
/// <param name="Code">A stable dotted code.</param>
/// <param name="Message">What went wrong.</param>
/// <param name="Retryable">Whether a retry may help: false when the activity marked the failure permanent.</param>
/// <param name="Fix">What the documentation says to do.</param>
/// <param name="Details">Diagnostic facts (log lines, exit codes, output tails), secrets masked.</param>
public sealed record ErrorDocument(string Code, string Message, bool Retryable, string? Fix, IReadOnlyDictionary<string, string>? Details);

/// <summary>Where an instance waits.</summary>
/// <param name="Step">The step.</param>
/// <param name="Kind">approval or manualTask.</param>
/// <param name="Details">The gate's details: approvers, minimum, decisions so far, instructions, expiry.</param>
public sealed record WaitingAtDocument(string Step, string? Kind, JsonObject? Details);

/// <summary>The process that holds a running instance.</summary>
/// <param name="Host">Its machine.</param>
/// <param name="Pid">Its process id.</param>
/// <param name="ExpiresAt">When anyone may recover the instance.</param>
public sealed record LeaseDocument(string Host, int Pid, DateTimeOffset ExpiresAt);

/// <summary>An instance's journal: the shape of <c>mdiflow audit ID --json</c>.</summary>
/// <param name="InstanceId">The instance id.</param>
/// <param name="Verified">Whether the record verifies: the keyed chain, its agreement with the instance, the seal, the definition.</param>
/// <param name="Problems">Every disagreement found.</param>
/// <param name="Key">The fingerprint of the journal key that verified it (null when none could be read).</param>
/// <param name="Head">The last entry: its number and MAC.</param>
/// <param name="Entries">The entries in order.</param>
public sealed record AuditDocument(string InstanceId, bool Verified, IReadOnlyList<string> Problems, string? Key, AuditHeadDocument Head, IReadOnlyList<JournalEntryDocument> Entries);

/// <summary>The head of a journal.</summary>
/// <param name="Seq">The last entry's number (0 for none).</param>
/// <param name="Mac">Its MAC.</param>
public sealed record AuditHeadDocument(long Seq, string Mac);

/// <summary>One journal entry.</summary>
/// <param name="Seq">Its number.</param>
/// <param name="At">When.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Actor">Who.</param>
/// <param name="ActorSource">How their identity was established (os, oidc, asserted, engine).</param>
/// <param name="Step">The step concerned.</param>
/// <param name="Data">Facts (never secrets).</param>
/// <param name="Mac">The entry's MAC in the keyed chain.</param>
public sealed record JournalEntryDocument(long Seq, DateTimeOffset At, string Kind, string Actor, string ActorSource, string? Step, JsonNode? Data, string Mac);

/// <summary>A decision at the gate an instance waits at (<c>POST /api/instances/{id}/decisions</c>).</summary>
/// <param name="Action"><c>approve</c>, <c>reject</c> or <c>complete</c>; for a manual task also <c>assign</c> (take it: "assign to me") or <c>unassign</c> (give it back).</param>
/// <param name="Step">The gate's step; null means the one it waits at.</param>
/// <param name="Text">The comment (approve), the reason (reject, required) or the evidence (complete, required); not used by assign and unassign.</param>
public sealed record DecisionRequest(string Action, string? Step, string? Text);
