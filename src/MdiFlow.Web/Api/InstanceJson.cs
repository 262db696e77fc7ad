using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Web.Api;

/// <summary>
/// The one JSON view of instances and journals: what <c>mdiflow ... --json</c> prints and what the REST API answers
/// (docs/cli.md). The CLI and the web host both build their JSON here.
/// </summary>
public static class InstanceJson
{
    /// <summary>One line of a listing.</summary>
    public static InstanceListItem Item(InstanceSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.InstanceId.Value, s.WorkflowId, Name(s.Status), s.CreatedAt, s.UpdatedAt);
    }

    /// <summary>One instance.</summary>
    public static InstanceDocument Document(WorkflowInstance i)
    {
        ArgumentNullException.ThrowIfNull(i);
        return new(
            i.Id.Value,
            Name(i.Status),
            new WorkflowReference(i.WorkflowId, i.WorkflowVersion, i.DefinitionHash),
            i.Requester,
            i.IsRehearsal,
            i.IsRehearsal,
            new Dictionary<string, string>(i.Labels, StringComparer.Ordinal),
            new JournalHeadDocument(i.JournalSeq, i.JournalHead),
            i.CreatedAt,
            i.UpdatedAt,
            i.DueAt,
            [.. i.Steps.Select(Step)],
            i.Steps.FirstOrDefault(s => s.Status == StepStatus.Waiting) is { } w ? new WaitingAtDocument(w.Id, w.Gate?.Kind, (JsonObject?)w.Gate?.Details.DeepClone()) : null,
            i.Lease is { } l ? new LeaseDocument(l.Host, l.ProcessId, l.ExpiresAt) : null);
    }

    /// <summary>A journal with the verdict of checking its record.</summary>
    public static AuditDocument Audit(RecordVerdict verdict, IReadOnlyList<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(entries);
        return new AuditDocument(verdict.InstanceId.Value, verdict.Verified, verdict.Problems, verdict.KeyId, new AuditHeadDocument(verdict.HeadSeq, verdict.Head), [.. entries.Select(Entry)]);
    }

    /// <summary>One exported line, as <c>mdiflow audit ID --jsonl</c> writes it: every stored field, so the chain can be re-verified with the key from the export alone.</summary>
    public static string Line(InstanceId id, JournalEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new JsonObject
        {
            ["seq"] = e.Seq,
            ["at"] = e.At,
            ["kind"] = e.Kind,
            ["actor"] = e.Actor,
            ["actorSource"] = e.ActorSource,
            ["step"] = e.Step,
            ["data"] = Data(e.Data),
            ["mac"] = e.Mac,
            ["instanceId"] = id.Value,
            ["dataText"] = e.Data,
            ["previousMac"] = e.PreviousMac,
        }.ToJsonString();
    }

    /// <summary>A status as the JSON writes it.</summary>
    public static string Name(InstanceStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>An entry's data as JSON; data that is not JSON (it was edited) as its text.</summary>
    private static JsonNode? Data(string? data)
    {
        if (data is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(data);
        }
        catch (JsonException)
        {
            return JsonValue.Create(data);
        }
    }

    private static JournalEntryDocument Entry(JournalEntry e) =>
        new(e.Seq, e.At, e.Kind, e.Actor, e.ActorSource, e.Step, Data(e.Data), e.Mac);

    private static StepDocument Step(StepState s) => new(
        s.Id,
        s.Uses,
        s.Status.Name(),
        s.Attempts,
        s.StartedAt,
        s.EndedAt,
        s.Error is { } e ? new ErrorDocument(e.Code, e.Message, !e.Permanent, e.Fix, e.Details is { Count: > 0 } d ? new Dictionary<string, string>(d) : null) : null,
        s.SkipReason,
        s.Output?.DeepClone())
    {
        NotRetried = s.NotRetried is { } n ? new NotRetriedDocument(JsonNamingPolicy.CamelCase.ConvertName(n.Reason.ToString()), n.Explanation) : null,
    };
}
