using System.CommandLine;
using System.Text;
using MdiFlow.Cli.Hosting;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow graph WORKFLOW.json</c>: the workflow as a Mermaid or DOT diagram.</summary>
internal static class GraphCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow file (JSON)." };
        var format = new Option<string>("--format") { Description = "mermaid or dot.", DefaultValueFactory = _ => "mermaid" };
        format.AcceptOnlyFromAmong("mermaid", "dot");
        var command = new Command("graph", "The workflow as a diagram (Mermaid or DOT).") { workflow, format };
        command.SetAction(async parsed =>
        {
            await using var session = CliSession.WithoutStore();
            var definition = RunCommand.Load(session, parsed.GetValue(workflow)!);
            var dot = parsed.GetValue(format) == "dot";
            var sb = new StringBuilder(dot ? $"digraph \"{definition.Id}\" {{\n  rankdir=TB;\n" : "flowchart TD\n");
            var previous = "start";
            sb.Append(dot ? "  start [shape=circle,label=\"\"];\n" : "  start((start))\n");
            foreach (var step in definition.Steps)
            {
                var label = $"{step.Id}\\n{step.Uses}".Replace("\"", "'", StringComparison.Ordinal);
                var gate = step.Uses is "approval" or "manualTask";
                var edge = step.When is null ? "" : step.When.Replace("\"", "'", StringComparison.Ordinal);
                if (dot)
                {
                    sb.Append($"  \"{step.Id}\" [shape={(gate ? "hexagon" : "box")},label=\"{label}\"];\n");
                    sb.Append($"  \"{previous}\" -> \"{step.Id}\"{(edge.Length > 0 ? $" [style=dashed,label=\"when {edge}\"]" : "")};\n");
                }
                else
                {
                    var text = label.Replace("\\n", "<br/>", StringComparison.Ordinal);
                    sb.Append(gate ? $"  {step.Id}{{{{\"{text}\"}}}}\n" : $"  {step.Id}[\"{text}\"]\n");
                    sb.Append(edge.Length > 0 ? $"  {previous} -. \"when {edge}\" .-> {step.Id}\n" : $"  {previous} --> {step.Id}\n");
                }

                previous = step.Id;
            }

            sb.Append(dot ? $"  end [shape=doublecircle,label=\"\"];\n  \"{previous}\" -> end;\n}}\n" : $"  done((done))\n  {previous} --> done\n");
            await parsed.InvocationConfiguration.Output.WriteAsync(sb.ToString()).ConfigureAwait(false);
            return ExitCodes.Done;
        });
        return command;
    }
}
