using System.CommandLine;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Engine;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow resume ID</c>: continue an instance that is ready, failed, due, or was interrupted by a crash.</summary>
internal static class ResumeCommand
{
    public static Command Create()
    {
        var id = CommonOptions.InstanceId();
        var json = CommonOptions.Json();
        var asName = CommonOptions.As();
        var lab = new Option<string?>("--lab") { Description = "For a rehearsal: switch it to another lab profile first (for example once the rehearsed cause is fixed)." };
        var input = new Option<string[]>("--input") { Description = "For a failed instance: a corrected input value, NAME=VALUE (repeatable); journaled as an operator change.", AllowMultipleArgumentsPerToken = false };
        var inputsFile = new Option<string?>("--inputs") { Description = "For a failed instance: a JSON file of corrected input values." };
        var secret = new Option<string[]>("--secret") { Description = "For a failed instance: a corrected secret input by reference, NAME=env:VARIABLE or NAME=file:PATH (repeatable)." };
        var command = new Command("resume", "Continue an instance that is ready (approved), failed, due for a retry, or was interrupted by a crash.") { id, asName, lab, input, inputsFile, secret, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var globals = parsed.Globals();
            var output = parsed.InvocationConfiguration.Output;
            var asJson = parsed.GetValue(json);
            var actor = OsIdentity.For(parsed.GetValue(asName));
            var switchTo = parsed.GetValue(lab);
            var change = new InputChange
            {
                Inputs = WorkflowInputs.Values(parsed.GetValue(inputsFile), parsed.GetValue(input) ?? []),
                Secrets = WorkflowInputs.Secrets(parsed.GetValue(secret) ?? []),
            };
            var (session, instance) = await CliSession.ForInstanceAsync(globals, parsed.GetValue(id)!, startLab: switchTo is null, cancellationToken).ConfigureAwait(false);
            if (switchTo is not null)
            {
                // The profile is part of the rehearsal's record: switch it, then start the lab it names.
                await using (session.ConfigureAwait(false))
                {
                    if (!instance.IsRehearsal)
                    {
                        throw new UsageException($"Instance {instance.Id} is not a rehearsal (it was not started with --lab), so it has no lab profile to switch.");
                    }

                    if (switchTo != CliSession.ProfileOf(instance))
                    {
                        instance = await session.Engine.SetLabelAsync(instance.Id, LabRehearsal.ProfileLabel, switchTo, actor, cancellationToken).ConfigureAwait(false);
                    }
                }

                session = await CliSession.ForRehearsalAsync(globals, instance.Id, switchTo, cancellationToken).ConfigureAwait(false);
            }

            await using (session.ConfigureAwait(false))
            {
                var progress = asJson ? parsed.InvocationConfiguration.Error : output;
                if (change.Inputs.Count > 0 || change.Secrets.Count > 0)
                {
                    instance = await session.Engine.ChangeInputsAsync(instance.Id, change, actor, cancellationToken).ConfigureAwait(false);
                    var names = change.Inputs.Select(p => p.Key).Concat(change.Secrets.Keys.Select(k => k + " (secret)"));
                    await progress.WriteLineAsync($"Changed {TerminalText.Safe(string.Join(", ", names))} of instance {instance.Id}; the change is journaled.").ConfigureAwait(false);
                }

                var on = session.Lab is { } env ? $" on lab profile '{env.Profile.Name}'" : "";
                await progress.WriteLineAsync($"Resuming instance {instance.Id} ({InstanceView.Name(instance.Status)}){on}.").ConfigureAwait(false);
                var stopped = await Runs.RunAsync(session, instance.Id, actor, progress, cancellationToken).ConfigureAwait(false);
                return RunReport.Write(stopped, session, globals, output, asJson);
            }
        });
        return command;
    }
}
