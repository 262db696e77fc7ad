using System.Text.Json.Nodes;
using MdiFlow.Instances;

namespace MdiFlow.Cli.Output;

/// <summary>The JSON shape of <c>run</c>, <c>resume</c> and <c>show</c> (CLI.md), and its text rendering.</summary>
internal static class InstanceView
{
    /// <summary>The instance as <c>--json</c> prints it: the one JSON view the REST API answers too.</summary>
    public static JsonObject ToJson(WorkflowInstance i) =>
        (JsonObject)System.Text.Json.JsonSerializer.SerializeToNode(MdiFlow.Web.Api.InstanceJson.Document(i), MdiFlow.Serialization.MdiFlowJson.Options)!;

    public static void Write(WorkflowInstance i, TextWriter o, IReadOnlyList<NextCommand> next)
    {
        static string Safe(string? text) => TerminalText.Safe(text);
        var profile = i.Labels.GetValueOrDefault(Hosting.LabRehearsal.ProfileLabel);
        o.WriteLine($"Instance  {i.Id}");
        o.WriteLine($"Workflow  {Safe(i.WorkflowId)} v{Safe(i.WorkflowVersion)} (definition {i.DefinitionHash[..Math.Min(12, i.DefinitionHash.Length)]})");
        o.WriteLine($"Status    {Name(i.Status)}{(i.DueAt is { } due ? $", next attempt due {due:u}" : "")}");
        o.WriteLine($"Started   {i.CreatedAt:u} by {Safe(i.Requester)}{(i.IsRehearsal ? $" (rehearsal{(profile is null ? "" : $" on lab profile '{Safe(profile)}'")})" : "")}");
        o.WriteLine($"Journal   {i.JournalSeq} entries, head {i.JournalHead}");
        o.WriteLine();
        var width = Math.Max(4, i.Steps.Max(s => Safe(s.Id).Length));
        var usesWidth = Math.Max(4, i.Steps.Max(s => Safe(s.Uses).Length));
        o.WriteLine($"  {"STEP".PadRight(width)}  {"USES".PadRight(usesWidth)}  {"STATUS",-9}  ATTEMPTS  DURATION");
        foreach (var s in i.Steps)
        {
            var duration = s.StartedAt is { } start && s.EndedAt is { } end && s.Status != StepStatus.Skipped ? ConsoleProgress.Format(end - start) : "";
            o.WriteLine($"  {Safe(s.Id).PadRight(width)}  {Safe(s.Uses).PadRight(usesWidth)}  {Name(s.Status),-9}  {s.Attempts,8}  {duration}");
            if (s.Error is { } e && s.Status != StepStatus.Completed)
            {
                o.WriteLine($"  {"".PadRight(width)}  error [{Safe(e.Code)}]: {Safe(e.Message)}");
                if (e.Fix is not null)
                {
                    o.WriteLine($"  {"".PadRight(width)}  fix: {Safe(e.Fix)}");
                }

                if (s.NotRetried is { } notRetried)
                {
                    o.WriteLine($"  {"".PadRight(width)}  not retried: {Safe(notRetried.Explanation)}");
                }
            }

            if (s.SkipReason is not null)
            {
                o.WriteLine($"  {"".PadRight(width)}  skipped: {Safe(s.SkipReason)}");
            }
        }

        var facts = i.Steps.Where(s => s.Status == StepStatus.Completed && s.Output is JsonObject { Count: > 0 } && s.Gate is null).ToList();
        if (facts.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("Facts gathered:");
            foreach (var s in facts)
            {
                var text = ReadableJson.Text(s.Output);
                o.WriteLine($"  {Safe(s.Id)}: {Safe(text.Length > 300 ? text[..297] + "..." : text)}");
            }
        }

        if (next.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("Next:");
            foreach (var n in next)
            {
                o.WriteLine($"  to {Safe(n.What)}:  {Safe(n.Command)}");
            }
        }

        if (i.Status == InstanceStatus.Waiting)
        {
            o.WriteLine();
            o.WriteLine(GateText.Remaining(i));
            if (GateText.Instructions(i) is { } instructions)
            {
                o.WriteLine($"Instructions: {instructions}");
            }
        }

        foreach (var s in i.Steps.Where(s => s.Status == StepStatus.Completed && s.Uses == Gates.GateKinds.ManualTask && s.Output is not null))
        {
            o.WriteLine($"  {Safe(s.Id)}: completed by {Safe(s.Output!["completedBy"]?.ToString())}: {Safe(s.Output["evidence"]?.ToString())}");
        }

        foreach (var s in i.Steps.Where(s => s.Gate?.Kind == Gates.GateKinds.Approval))
        {
            foreach (var d in Gates.ApprovalGate.From(s.Gate!.Details).Decisions)
            {
                o.WriteLine($"  {Safe(s.Id)}: {d.Decision} by {Safe(d.Actor)} ({Safe(d.ActorSource)}) at {d.At:u}{(d.Comment is null ? "" : $": {Safe(d.Comment)}")}");
            }
        }
    }

    public static string Name(InstanceStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Output facts as people read them: no \u0027 for an apostrophe (the terminal escaping covers control characters).</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Name(StepStatus status) => status.Name();
}
