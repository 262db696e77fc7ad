using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Instances;
using MdiFlow.Journal;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Testing.Storage;

/// <summary>Instances and journal entries for store tests, shaped like real MDI sensor rollouts.</summary>
public static class TestInstances
{
    /// <summary>A start time with sub-millisecond ticks, so a store that rounds times is caught.</summary>
    public static DateTimeOffset Start { get; } = new DateTimeOffset(2025, 6, 2, 9, 15, 30, TimeSpan.Zero).AddTicks(1_234_567);

    /// <summary>The journal key of every chain the tests write (a store keeps its own key for seals).</summary>
    public static JournalKey Key { get; } = JournalKey.Generate();

    /// <summary>An operator identity with characters a store must keep exactly.</summary>
    public static Actor Operator { get; } = new(@"CONTOSO\zoë.o'brien", ActorSources.OperatingSystem);

    /// <summary>
    /// A new instance of the MDI sensor deployment: definition snapshot, inputs, secret references and
    /// three pending steps. Its version is 0 and its journal empty until entries are appended.
    /// </summary>
    public static WorkflowInstance New(TimeProvider time, InstanceStatus status = InstanceStatus.Pending, InstanceId? id = null, string workflowId = "mdi-sensor-deployment")
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var definition = Definition(workflowId);
        return new WorkflowInstance
        {
            Id = id ?? InstanceId.New(time),
            WorkflowId = workflowId,
            WorkflowVersion = "1.2.0",
            DefinitionHash = WorkflowWriter.Hash(definition),
            Definition = definition,
            Inputs = new JsonObject
            {
                ["workspace"] = "contoso-mdi",
                ["servers"] = new JsonArray("DC01.contoso.com", "DC02.contoso.com"),
                ["proxyUrl"] = null,
                ["maxParallel"] = 2,
            },
            SecretMap = new(StringComparer.Ordinal) { ["accessKey"] = "env:MDI_ACCESS_KEY", ["proxyPassword"] = "file:/etc/mdiflow/proxy.pw" },
            Status = status,
            CreatedAt = now,
            UpdatedAt = now,
            Requester = Operator.Name,
            IsRehearsal = false,
            StepList =
            [
                new StepState { Id = "download", Uses = "http.probe" },
                new StepState { Id = "approve", Uses = "approval" },
                new StepState { Id = "install", Uses = "process.run" },
            ],
        };
    }

    /// <summary>
    /// An instance in the middle of a run: a completed step with output, a gate waiting for approval,
    /// a failed attempt with an error, a lease, a retry due time and a journal head.
    /// </summary>
    public static (WorkflowInstance Instance, IReadOnlyList<JournalEntry> Entries) MidRun(FakeTimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var instance = New(time, InstanceStatus.Scheduled);
        var entries = new List<JournalEntry> { Append(instance, time, JournalKinds.InstanceCreated) };
        var download = instance.Steps[0];
        download.Status = StepStatus.Completed;
        download.Attempts = 1;
        download.StartedAt = time.GetUtcNow();
        download.EndedAt = time.GetUtcNow().AddTicks(98_765);
        download.Output = new JsonObject { ["status"] = 200, ["latencyMs"] = 41.5, ["headers"] = new JsonObject { ["x-ms-request-id"] = "c0ffee" } };
        entries.Add(Append(instance, time, JournalKinds.StepCompleted, "download", new JsonObject { ["status"] = 200 }));

        var approve = instance.Steps[1];
        approve.Status = StepStatus.Waiting;
        approve.Gate = new GateRequest("approval", new JsonObject { ["approvers"] = new JsonArray("group:CAB"), ["minApprovals"] = 2 });

        var install = instance.Steps[2];
        install.Status = StepStatus.Failed;
        install.Attempts = 3;
        install.SeriesStart = 1;
        install.StartedAt = time.GetUtcNow();
        install.Error = new ActivityError("process.exitCode", "The installer exited with code 1603.")
        {
            Fix = "Read %TEMP%\\Azure Advanced Threat Protection Sensor Setup.log.",
            Details = new Dictionary<string, string> { ["exitCode"] = "1603", ["stderrTail"] = "line 1\nline \"2\"" },
        };
        install.SkipReason = null;
        install.NotRetried = new NotRetried(NotRetriedReason.AttemptsUsed, "all 3 attempts its retry allows (maxAttempts) were used.");
        entries.Add(Append(instance, time, JournalKinds.StepFailed, "install", new JsonObject { ["exitCode"] = 1603 }));

        instance.Lease = new Lease("owner-7f3a", "WORKER01", 4242, time.GetUtcNow().AddMinutes(-5), time.GetUtcNow().AddMinutes(5));
        instance.DueAt = time.GetUtcNow().AddSeconds(30).AddTicks(7);
        instance.UpdatedAt = time.GetUtcNow();
        return (instance, entries);
    }

    /// <summary>Appends one entry to <paramref name="instance"/>'s chain at the current time, then moves time on by a few ticks.</summary>
    public static JournalEntry Append(WorkflowInstance instance, FakeTimeProvider time, string kind, string? step = null, JsonObject? data = null, Actor? actor = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(time);
        var entry = JournalChain.Append(Key, instance, actor ?? Operator, time.GetUtcNow(), kind, step, data);
        time.Advance(TimeSpan.FromTicks(10_001));
        return entry;
    }

    /// <summary>The next entry of <paramref name="instance"/>'s chain at <paramref name="at"/>, under <see cref="Key"/>.</summary>
    public static JournalEntry Entry(WorkflowInstance instance, DateTimeOffset at, string kind, string? step = null, JsonObject? data = null) =>
        JournalChain.Append(Key, instance, Operator, at, kind, step, data);

    /// <summary>Checks a journal written with <see cref="Key"/>: null when its chain is intact.</summary>
    public static JournalBreak? VerifyChain(InstanceId id, IReadOnlyList<JournalEntry> journal) => JournalChain.Verify(Key, id, journal);

    /// <summary>Checks a journal a store keyed with <paramref name="key"/> (a migration re-keys under the store's own key): null when intact.</summary>
    public static JournalBreak? VerifyChain(JournalKey key, InstanceId id, IReadOnlyList<JournalEntry> journal) => JournalChain.Verify(key, id, journal);

    private static JsonObject Definition(string workflowId) => new()
    {
        ["id"] = workflowId,
        ["version"] = "1.2.0",
        ["title"] = "Deploy the Defender for Identity sensor",
        ["inputs"] = new JsonObject
        {
            ["workspace"] = new JsonObject { ["type"] = "string", ["required"] = true },
            ["accessKey"] = new JsonObject { ["type"] = "string", ["secret"] = true },
        },
        ["steps"] = new JsonArray(
            new JsonObject { ["id"] = "download", ["uses"] = "http.probe", ["with"] = new JsonObject { ["url"] = "{{ inputs.workspace }}" } },
            new JsonObject { ["id"] = "approve", ["uses"] = "approval", ["with"] = new JsonObject { ["approvers"] = new JsonArray("group:CAB") } },
            new JsonObject
            {
                ["id"] = "install",
                ["uses"] = "process.run",
                ["when"] = "steps.approve.output.approvedBy != ''",
                ["retry"] = new JsonObject { ["maxAttempts"] = 3, ["backoff"] = "PT30S" },
                ["with"] = new JsonObject { ["file"] = "Azure ATP Sensor Setup.exe", ["arguments"] = new JsonArray("/quiet", "AccessKeyFile={{ secrets.accessKey }}") },
            }),
    };
}
