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
        var command = new Command("resume", "Continue an instance that is ready (approved), failed, due for a retry, or was interrupted by a crash.") { id, asName, lab, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var location = parsed.Location();
            var output = parsed.InvocationConfiguration.Output;
            var asJson = parsed.GetValue(json);
            var switchTo = parsed.GetValue(lab);
            var (session, instance) = await CliSession.ForInstanceAsync(location, parsed.PolicyPath(), parsed.GetValue(id)!, i => switchTo ?? i.LabProfile ?? LabRehearsal.DefaultProfile, cancellationToken).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                var actor = OsIdentity.For(parsed.GetValue(asName), instance);
                if (switchTo is not null && switchTo != instance.LabProfile)
                {
                    instance = await session.Engine.SwitchLabProfileAsync(instance.Id, switchTo, actor, cancellationToken).ConfigureAwait(false);
                }

                var progress = asJson ? parsed.InvocationConfiguration.Error : output;
                var on = session.Lab is { } env ? $" on lab profile '{env.Profile.Name}'" : "";
                await progress.WriteLineAsync($"Resuming instance {instance.Id} ({InstanceView.Name(instance.Status)}){on}.").ConfigureAwait(false);
                var result = await session.Engine.RunAsync(instance.Id, new RunRequest { Actor = actor, Observer = new ConsoleProgress(progress) }, cancellationToken).ConfigureAwait(false);
                return RunReport.Write(result.Instance, location, output, asJson);
            }
        });
        return command;
    }
}
