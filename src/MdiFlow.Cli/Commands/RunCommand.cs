using System.CommandLine;
using MdiFlow.Cli.Configuration;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Instances;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow run WORKFLOW.json</c>: validate, start an instance and run it until it stops.</summary>
internal static class RunCommand
{
    public static readonly Option<string[]> Input = new("--input") { Description = "An input value: NAME=VALUE (repeatable).", AllowMultipleArgumentsPerToken = false };
    public static readonly Option<string?> InputsFile = new("--inputs") { Description = "A JSON file of input values." };
    public static readonly Option<string[]> Secret = new("--secret") { Description = "A secret input by reference: NAME=env:VARIABLE or NAME=file:PATH (repeatable)." };
    public static readonly Option<string?> Lab = new("--lab") { Description = "Rehearse: a lab instance with its own simulated servers (optionally a host profile name or file).", Arity = ArgumentArity.ZeroOrOne };

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
            var globals = parsed.Globals();
            var output = parsed.InvocationConfiguration.Output;
            var asJson = parsed.GetValue(json);
            var isLab = parsed.GetResult(Lab) is not null;
            var actor = OsIdentity.For(parsed.GetValue(asName));
            var inputs = WorkflowInputs.Values(parsed.GetValue(InputsFile), parsed.GetValue(Input) ?? []);
            var secrets = WorkflowInputs.Secrets(parsed.GetValue(Secret) ?? []);
            var profile = isLab ? parsed.GetValue(Lab) ?? LabRehearsal.DefaultProfile : null;

            // A rehearsal's lab belongs to its instance alone, so its id comes first.
            var id = InstanceId.New(TimeProvider.System);
            var started = false;
            try
            {
                await using var session = profile is null
                    ? CliSession.ForWriting(globals)
                    : await CliSession.ForRehearsalAsync(globals, id, profile, cancellationToken).ConfigureAwait(false);
                var progress = asJson ? parsed.InvocationConfiguration.Error : output;
                var definition = Load(session, parsed.GetValue(workflow)!);
                if (session.Lab is { } lab)
                {
                    await progress.WriteLineAsync($"Rehearsal on lab profile '{lab.Profile.Name}': {lab.Profile.Description}").ConfigureAwait(false);
                    var filled = LabRehearsal.FillInputs(definition, inputs, secrets, lab);
                    if (filled.Count > 0)
                    {
                        await progress.WriteLineAsync($"The lab supplies: {string.Join(", ", filled)}.").ConfigureAwait(false);
                    }
                }
                else if (ConfiguredInputs.Fill(definition, inputs, secrets, globals.Configuration) is { Count: > 0 } configured)
                {
                    await progress.WriteLineAsync($"From the configuration: {string.Join(", ", configured)}.").ConfigureAwait(false);
                }

                var instance = await session.Engine.StartAsync(definition, new StartRequest
                {
                    Id = id,
                    Actor = actor,
                    Inputs = inputs,
                    Secrets = secrets,
                    Rehearsal = isLab,
                    Labels = profile is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [LabRehearsal.ProfileLabel] = profile },
                }, cancellationToken).ConfigureAwait(false);
                started = true;
                await progress.WriteLineAsync($"Started instance {instance.Id} of {TerminalText.Safe(instance.WorkflowId)} v{TerminalText.Safe(instance.WorkflowVersion)}{(isLab ? " (rehearsal)" : "")}.").ConfigureAwait(false);
                var stopped = await Runs.RunAsync(session, instance.Id, actor, progress, cancellationToken).ConfigureAwait(false);
                return RunReport.Write(stopped, session, globals, output, asJson);
            }
            finally
            {
                if (!started && profile is not null)
                {
                    // Nothing was started: the rehearsal's lab state has no instance to belong to.
                    TryDelete(LabRehearsal.StateDirectory(globals.Store, id));
                }
            }
        });
        return command;
    }

    /// <summary>Loads and validates a workflow file; every mistake is reported at once.</summary>
    public static WorkflowDefinition Load(CliSession session, string path)
    {
        var loaded = session.Validator.LoadFile(path);
        return loaded.Definition ?? throw new WorkflowValidationException(path, loaded.Errors);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the operator; it holds no instance.
        }
    }
}
