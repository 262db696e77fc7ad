using System.CommandLine;
using System.Text.Json.Nodes;
using MdiFlow.Cli.Configuration;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Engine;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow plan WORKFLOW.json</c>: a dry run that changes nothing.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow file (JSON)." };
        var json = CommonOptions.Json();
        var command = new Command("plan", "Dry run: the steps that would run, the gates, the bindings resolved. Changes nothing.")
        {
            workflow, RunCommand.Input, RunCommand.InputsFile, RunCommand.Secret, RunCommand.Lab, json,
        };
        command.SetAction(async parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            await using var session = CliSession.WithoutStore();
            var definition = RunCommand.Load(session, parsed.GetValue(workflow)!);
            var inputs = WorkflowInputs.Values(parsed.GetValue(RunCommand.InputsFile), parsed.GetValue(RunCommand.Input) ?? []);
            var secrets = WorkflowInputs.Secrets(parsed.GetValue(RunCommand.Secret) ?? []);
            var rehearsal = parsed.GetResult(RunCommand.Lab) is not null;
            var progress = parsed.GetValue(json) ? parsed.InvocationConfiguration.Error : output;
            if (rehearsal)
            {
                var profile = parsed.GetValue(RunCommand.Lab) ?? LabRehearsal.DefaultProfile;
                var filled = LabRehearsal.FillPlannedInputs(definition, inputs, secrets, profile);
                await progress.WriteLineAsync($"Rehearsal plan on lab profile '{TerminalText.Safe(profile)}'{(filled.Count > 0 ? $"; the lab supplies: {string.Join(", ", filled)}" : "")}.").ConfigureAwait(false);
            }
            else
            {
                var configured = ConfiguredInputs.Fill(definition, inputs, secrets, parsed.Globals().Configuration);
                if (configured.Count > 0)
                {
                    await progress.WriteLineAsync($"From the configuration: {string.Join(", ", configured)}.").ConfigureAwait(false);
                }
            }

            var plan = WorkflowPlanner.Plan(definition, new StartRequest
            {
                Actor = OsIdentity.Current(),
                Inputs = inputs,
                Secrets = secrets,
                Rehearsal = rehearsal,
            });
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(output, new JsonObject
                {
                    ["workflow"] = new JsonObject { ["id"] = plan.WorkflowId, ["version"] = plan.Version, ["hash"] = plan.Hash },
                    ["steps"] = new JsonArray([.. plan.Steps.Select(s => (JsonNode)new JsonObject
                    {
                        ["id"] = s.Id,
                        ["uses"] = s.Uses,
                        ["decision"] = s.Decision.ToString(),
                        ["when"] = s.When,
                        ["gate"] = IsGate(s.Uses),
                        ["with"] = s.With?.DeepClone(),
                    })]),
                });
                return ExitCodes.Done;
            }

            await output.WriteLineAsync($"Plan for {TerminalText.Safe(plan.WorkflowId)} v{TerminalText.Safe(plan.Version)} (definition {plan.Hash[..12]}); nothing is changed.").ConfigureAwait(false);
            var n = 0;
            foreach (var s in plan.Steps)
            {
                var decision = s.Decision switch
                {
                    StepDecision.Runs => IsGate(s.Uses) ? "stops for people" : "runs",
                    StepDecision.Skipped => $"skipped ({s.When} is false)",
                    _ => $"runs if {s.When}",
                };
                await output.WriteLineAsync($"{++n,3}. {TerminalText.Safe(s.Id)} [{TerminalText.Safe(s.Uses)}] {TerminalText.Safe(decision)}").ConfigureAwait(false);
                if (s.With is JsonObject with)
                {
                    foreach (var (name, value) in with)
                    {
                        await output.WriteLineAsync($"       {TerminalText.Safe(name)} = {TerminalText.Safe(ReadableJson.Text(value))}").ConfigureAwait(false);
                    }
                }
            }

            return ExitCodes.Done;
        });
        return command;
    }

    private static bool IsGate(string uses) => uses is "approval" or "manualTask";
}
