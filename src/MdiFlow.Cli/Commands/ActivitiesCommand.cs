using System.CommandLine;
using System.Text.Json.Nodes;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow activities</c>: the installed activities with their inputs and outputs.</summary>
internal static class ActivitiesCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("activities", "Installed activities with their inputs and outputs.") { json };
        command.SetAction(async parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            await using var session = CliSession.WithoutStore();
            var all = session.Catalog.All.ToList();
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(output, new JsonArray([.. all.Select(d => (JsonNode)new JsonObject
                {
                    ["name"] = d.Name,
                    ["description"] = d.Description,
                    ["recovery"] = d.Recovery.ToString(),
                    ["runsOnTarget"] = d.RunsOnTarget,
                    ["inputSchema"] = d.InputSchema.DeepClone(),
                    ["outputSchema"] = d.OutputSchema?.DeepClone(),
                })]));
                return ExitCodes.Done;
            }

            foreach (var d in all)
            {
                await output.WriteLineAsync($"{d.Name}  {d.Description}").ConfigureAwait(false);
                var inputs = d.Inputs?.Select(i => d.RequiredInputs.Contains(i) ? i + "*" : i) ?? ["(any)"];
                await output.WriteLineAsync($"    inputs:  {string.Join(", ", inputs)}").ConfigureAwait(false);
                if (d.OutputSchema?["properties"] is JsonObject outputs)
                {
                    await output.WriteLineAsync($"    outputs: {string.Join(", ", outputs.Select(o => o.Key))}").ConfigureAwait(false);
                }
            }

            await output.WriteLineAsync("(* required)").ConfigureAwait(false);
            return ExitCodes.Done;
        });
        return command;
    }
}
