using System.CommandLine;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow show ID</c>: one instance, checked against its record: every step with attempts, times and errors.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var id = CommonOptions.InstanceId();
        var json = CommonOptions.Json();
        var command = new Command("show", "One instance: status, every step with attempts, times, errors; pending gates.") { id, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var globals = parsed.Globals();
            await using var session = CliSession.ForReading(globals);
            var instanceId = await session.Engine.ResolveAsync(parsed.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            var instance = await session.Engine.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
            if (!session.Engine.CanVerify(out var why))
            {
                await parsed.InvocationConfiguration.Error.WriteLineAsync($"Warning: not verified against its record ({why}); what follows is as stored.").ConfigureAwait(false);
            }

            if (parsed.GetValue(json))
            {
                JsonOutput.Write(output, InstanceView.ToJson(instance));
            }
            else
            {
                InstanceView.Write(instance, output, NextCommands.For(instance, session.Engine.DefinitionOf(instance), session.Catalog, parsed.Globals().Repeated));
                if (await HostWaitText.DescribeAsync(instance, session.Store, TimeProvider.System, cancellationToken).ConfigureAwait(false) is { } host)
                {
                    await output.WriteLineAsync().ConfigureAwait(false);
                    await output.WriteLineAsync(host).ConfigureAwait(false);
                }
            }

            return ExitCodes.Done;
        });
        return command;
    }
}
