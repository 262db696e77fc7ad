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
        var command = new Command("resume", "Continue an instance that is ready (approved), failed, due for a retry, or was interrupted by a crash.") { id, asName, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var location = parsed.Location();
            var output = parsed.InvocationConfiguration.Output;
            var asJson = parsed.GetValue(json);
            await using var session = CliSession.Open(location, parsed.PolicyPath());
            var instanceId = await session.Engine.ResolveAsync(parsed.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            var instance = await session.Engine.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
            var actor = OsIdentity.For(parsed.GetValue(asName), instance);
            var progress = asJson ? parsed.InvocationConfiguration.Error : output;
            await progress.WriteLineAsync($"Resuming instance {instanceId} ({InstanceView.Name(instance.Status)}).").ConfigureAwait(false);
            var result = await session.Engine.RunAsync(instanceId, new RunRequest { Actor = actor, Observer = new ConsoleProgress(progress) }, cancellationToken).ConfigureAwait(false);
            return RunReport.Write(result.Instance, location, output, asJson);
        });
        return command;
    }
}
