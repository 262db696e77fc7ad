using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Instances;

namespace MdiFlow.Storage;

/// <summary>
/// Deep copies of instances, for the in-memory store: what it keeps and what it hands out share nothing
/// mutable with its callers, as a document in a durable store would, without a JSON round trip per save.
/// </summary>
/// <remarks>
/// The store's own copies are never changed once made, so a new copy may share the parts of the previous one
/// that the caller has not changed: a save that moves one step on copies that step, not all of them.
/// Every property of <see cref="WorkflowInstance"/> and <see cref="StepState"/> is copied and compared here;
/// a test fails when one is added and forgotten.
/// </remarks>
internal static class InstanceCopy
{
    /// <summary>A copy of <paramref name="source"/> at <paramref name="version"/>, with <paramref name="definition"/> as its definition.</summary>
    public static WorkflowInstance Of(WorkflowInstance source, long version, JsonObject definition) => Of(source, version, definition, previous: null);

    /// <summary>
    /// A copy of <paramref name="source"/> at <paramref name="version"/> that shares with the store's
    /// <paramref name="previous"/> copy every part equal to it (the definition always).
    /// </summary>
    public static WorkflowInstance Next(WorkflowInstance source, long version, WorkflowInstance previous) =>
        Of(source, version, previous.Definition, previous);

    private static WorkflowInstance Of(WorkflowInstance source, long version, JsonObject definition, WorkflowInstance? previous)
    {
        var steps = new List<StepState>(source.Steps.Count);
        for (var i = 0; i < source.Steps.Count; i++)
        {
            var step = source.Steps[i];
            steps.Add(previous is not null && i < previous.Steps.Count && Same(step, previous.Steps[i]) ? previous.Steps[i] : Of(step));
        }

        return new WorkflowInstance
        {
            Id = source.Id,
            WorkflowId = source.WorkflowId,
            WorkflowVersion = source.WorkflowVersion,
            DefinitionHash = source.DefinitionHash,
            Definition = definition,
            Inputs = previous is not null && SameJson(source.Inputs, previous.Inputs) ? previous.Inputs : (JsonObject)source.Inputs.DeepClone(),
            SecretMap = previous is not null && Same(source.SecretMap, previous.SecretMap)
                ? previous.SecretMap
                : new Dictionary<string, string>(source.SecretMap, StringComparer.Ordinal),
            Status = source.Status,
            Version = version,
            CreatedAt = source.CreatedAt,
            UpdatedAt = source.UpdatedAt,
            Requester = source.Requester,
            IsRehearsal = source.IsRehearsal,
            LabelMap = previous is not null && Same(source.LabelMap, previous.LabelMap)
                ? previous.LabelMap
                : new Dictionary<string, string>(source.LabelMap, StringComparer.Ordinal),
            StepList = steps,
            Lease = source.Lease,
            LeaseToken = source.LeaseToken,
            DueAt = source.DueAt,
            JournalSeq = source.JournalSeq,
            JournalHead = source.JournalHead,
        };
    }

    // Records without mutable members (Lease, ActivityError) are shared; JSON nodes are cloned.
    private static StepState Of(StepState source) => new()
    {
        Id = source.Id,
        Uses = source.Uses,
        Status = source.Status,
        Attempts = source.Attempts,
        SeriesStart = source.SeriesStart,
        SeriesStartedAt = source.SeriesStartedAt,
        StartedAt = source.StartedAt,
        EndedAt = source.EndedAt,
        Output = source.Output?.DeepClone(),
        Error = source.Error,
        NotRetried = source.NotRetried,
        SkipReason = source.SkipReason,
        Gate = source.Gate is { } gate ? gate with { Details = (JsonObject)gate.Details.DeepClone() } : null,
        SecretFiles = source.SecretFiles is { } files ? [.. files] : null,
        Host = source.Host,
    };

    private static bool Same(StepState a, StepState b) =>
        a.Id == b.Id
        && a.Uses == b.Uses
        && a.Status == b.Status
        && a.Attempts == b.Attempts
        && a.SeriesStart == b.SeriesStart
        && Same(a.SeriesStartedAt, b.SeriesStartedAt)
        && Same(a.StartedAt, b.StartedAt)
        && Same(a.EndedAt, b.EndedAt)
        && SameJson(a.Output, b.Output)
        && ReferenceEquals(a.Error, b.Error)
        && Equals(a.NotRetried, b.NotRetried)
        && a.SkipReason == b.SkipReason
        && a.Host == b.Host
        && (a.Gate is null ? b.Gate is null : b.Gate is not null && a.Gate.Kind == b.Gate.Kind && SameJson(a.Gate.Details, b.Gate.Details))
        && (a.SecretFiles is null ? b.SecretFiles is null : b.SecretFiles is not null && a.SecretFiles.SequenceEqual(b.SecretFiles, StringComparer.Ordinal));

    /// <summary>The same instant with the same offset: what a document would keep.</summary>
    private static bool Same(DateTimeOffset? a, DateTimeOffset? b) => a.HasValue ? b.HasValue && a.Value.EqualsExact(b.Value) : !b.HasValue;

    private static bool Same(Dictionary<string, string> a, Dictionary<string, string> b)
    {
        if (a.Count != b.Count || !Equals(a.Comparer, b.Comparer))
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The same JSON, property order included (as a document would keep it).</summary>
    private static bool SameJson(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (JsonObject x, JsonObject y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    var (leftKey, leftValue) = x.GetAt(i);
                    var (rightKey, rightValue) = y.GetAt(i);
                    if (leftKey != rightKey || !SameJson(leftValue, rightValue))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (!SameJson(x[i], y[i]))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonValue x, JsonValue y):
                var kind = x.GetValueKind();
                return kind == y.GetValueKind() && kind switch
                {
                    JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => true,
                    JsonValueKind.String => x.GetValue<string>() == y.GetValue<string>(),
                    _ => x.ToJsonString() == y.ToJsonString(),
                };
            default:
                return false;
        }
    }
}
