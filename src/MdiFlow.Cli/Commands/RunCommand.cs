using System.CommandLine;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Definitions;
using MdiFlow.Engine;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow run WORKFLOW.json</c>: validate, start an instance and run it until it stops.</summary>
internal static class RunCommand
{
    public static readonly Option<string[]> Input = new("--input") { Description = "An input value: NAME=VALUE (repeatable).", AllowMultipleArgumentsPerToken = false };
    public static readonly Option<string?> InputsFile = new("--inputs") { Description = "A JSON file of input values." };
    public static readonly Option<string[]> Secret = new("--secret") { Description = "A secret input by reference: NAME=env:VARIABLE or NAME=file:PATH (repeatable)." };
    public static readonly Option<string?> Lab = new("--lab") { Description = "Rehearse: a lab instance (optionally with a host profile file).", Arity = ArgumentArity.ZeroOrOne };

    public static Command Create()
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow file (JSON)." };
        var json = CommonOptions.Json();
        var asName = CommonOptions.As();
        var command = new Command("run", "Validate a workflow, start an instance and run it until it completes, waits at a gate, schedules a retry, or fails.")
        {
            workflow, Input, InputsFile, Secret, Lab, asName, json,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var location = parsed.Location();
            var output = parsed.InvocationConfiguration.Output;
            var asJson = parsed.GetValue(json);
            var isLab = parsed.GetResult(Lab) is not null;
            var actor = OsIdentity.For(parsed.GetValue(asName), null, isLab);
            var inputs = WorkflowInputs.Values(parsed.GetValue(InputsFile), parsed.GetValue(Input) ?? []);
            var secrets = WorkflowInputs.Secrets(parsed.GetValue(Secret) ?? []);
            var profile = isLab ? parsed.GetValue(Lab) ?? LabRehearsal.DefaultProfile : null;
            await using var session = profile is null
                ? CliSession.Open(location, parsed.PolicyPath())
                : CliSession.OpenLab(location, parsed.PolicyPath(), await LabRehearsal.StartAsync(location, profile, cancellationToken).ConfigureAwait(false));
            var definition = Load(session, parsed.GetValue(workflow)!);
            var progress = asJson ? parsed.InvocationConfiguration.Error : output;
            if (session.Lab is { } lab)
            {
                await progress.WriteLineAsync($"Rehearsal on lab profile '{lab.Profile.Name}': {lab.Profile.Description}").ConfigureAwait(false);
                var filled = LabRehearsal.FillInputs(definition, inputs, secrets, lab);
                if (filled.Count > 0)
                {
                    await progress.WriteLineAsync($"The lab supplies: {string.Join(", ", filled)}.").ConfigureAwait(false);
                }
            }

            var request = new StartRequest
            {
                Actor = actor,
                Inputs = inputs,
                Secrets = secrets,
                IsLab = isLab,
                LabProfile = profile,
            };
            var instance = await session.Engine.StartAsync(definition, request, cancellationToken).ConfigureAwait(false);
            await progress.WriteLineAsync($"Started instance {instance.Id} of {definition.Id} v{definition.Version}{(isLab ? " (rehearsal)" : "")}.").ConfigureAwait(false);
            var result = await session.Engine.RunAsync(instance.Id, new RunRequest { Actor = actor, Observer = new ConsoleProgress(progress) }, cancellationToken).ConfigureAwait(false);
            return RunReport.Write(result.Instance, location, output, asJson);
        });
        return command;
    }

    /// <summary>Loads and validates a workflow file; every mistake is reported at once.</summary>
    public static WorkflowDefinition Load(CliSession session, string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"The workflow file '{path}' does not exist.");
        }

        var loaded = session.Validator.LoadFile(path);
        return loaded.Definition ?? throw new WorkflowValidationException(path, loaded.Errors);
    }
}
