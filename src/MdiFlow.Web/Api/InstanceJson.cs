using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Web.Api;

/// <summary>Instances and journals in the CLI's <c>--json</c> shapes (CLI.md).</summary>
internal static class InstanceJson
{
    public static InstanceListItem Item(InstanceSummary s) => new(s.InstanceId.Value, s.WorkflowId, Name(s.Status), s.CreatedAt, s.UpdatedAt);

    public static InstanceDocument Document(WorkflowInstance i) => new(
        i.Id.Value,
        Name(i.Status),
        new WorkflowReference(i.WorkflowId, i.WorkflowVersion, i.DefinitionHash),
        i.Requester,
        i.IsLab,
        i.CreatedAt,
        i.UpdatedAt,
        i.DueAt,
        [.. i.Steps.Select(Step)],
        i.Steps.FirstOrDefault(s => s.Status == StepStatus.Waiting) is { } w ? new WaitingAtDocument(w.Id, w.Gate?.Kind, (JsonObject?)w.Gate?.Details.DeepClone()) : null,
        i.Lease is { } l ? new LeaseDocument(l.Host, l.ProcessId, l.ExpiresAt) : null);

    public static AuditDocument Audit(InstanceId id, IReadOnlyList<JournalEntry> entries)
    {
        var broken = JournalChain.Verify(entries);
        return new AuditDocument(id.Value, broken is null, broken?.Seq, broken?.Reason, [.. entries.Select(Entry)]);
    }

    /// <summary>One exported line, as <c>mdiflow audit ID --jsonl</c> writes it: every stored field, so the chain can be re-verified from the export alone.</summary>
    public static string Line(InstanceId id, JournalEntry e) => new JsonObject
    {
        ["seq"] = e.Seq,
        ["at"] = e.At,
        ["kind"] = e.Kind,
        ["actor"] = e.Actor,
        ["actorSource"] = e.ActorSource,
        ["step"] = e.Step,
        ["data"] = e.Data is null ? null : JsonNode.Parse(e.Data),
        ["hash"] = e.Hash,
        ["instanceId"] = id.Value,
        ["dataText"] = e.Data,
        ["previousHash"] = e.PreviousHash,
    }.ToJsonString();

    public static string Name(InstanceStatus status) => status.ToString().ToLowerInvariant();

    private static JournalEntryDocument Entry(JournalEntry e) =>
        new(e.Seq, e.At, e.Kind, e.Actor, e.ActorSource, e.Step, e.Data is null ? null : JsonNode.Parse(e.Data), e.Hash);

    private static StepDocument Step(StepState s) => new(
        s.Id,
        s.Uses,
        s.Status.ToString().ToLowerInvariant(),
        s.Attempts,
        s.StartedAt,
        s.EndedAt,
        s.Error is { } e ? new ErrorDocument(e.Code, e.Message, e.Retryable, e.Fix) : null,
        s.SkipReason,
        s.Output?.DeepClone());
}
