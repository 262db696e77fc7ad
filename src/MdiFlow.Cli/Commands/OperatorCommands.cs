using System.CommandLine;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;

namespace MdiFlow.Cli.Commands;

/// <summary><c>skip</c> and <c>cancel</c>: an operator's decisions about a failed or unfinished instance.</summary>
internal static class OperatorCommands
{
    public static Command Skip()
    {
        var id = CommonOptions.InstanceId();
        var step = new Option<string>("--step") { Description = "The failed step to skip.", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why; kept in the journal.", Required = true };
        var asName = CommonOptions.As();
        var command = new Command("skip", "Mark a failed step skipped and continue past it on the next resume.") { id, step, reason, asName };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var location = parsed.Location();
            await using var session = CliSession.Open(location, parsed.PolicyPath());
            var instanceId = await session.Engine.ResolveAsync(parsed.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            var actor = OsIdentity.For(parsed.GetValue(asName), await session.Engine.GetAsync(instanceId, cancellationToken).ConfigureAwait(false));
            var instance = await session.Engine.SkipAsync(instanceId, parsed.GetValue(step)!, parsed.GetValue(reason)!, actor, cancellationToken).ConfigureAwait(false);
            await parsed.InvocationConfiguration.Output.WriteLineAsync(
                $"Step '{parsed.GetValue(step)}' of instance {instanceId} is skipped by {actor.Name}; the instance is {InstanceView.Name(instance.Status)}. Continue it:  mdiflow resume {instanceId}{location.Argument}").ConfigureAwait(false);
            return ExitCodes.Done;
        });
        return command;
    }

    public static Command Cancel()
    {
        var id = CommonOptions.InstanceId();
        var reason = new Option<string>("--reason") { Description = "Why; kept in the journal.", Required = true };
        var asName = CommonOptions.As();
        var command = new Command("cancel", "End an instance that is not finished.") { id, reason, asName };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var session = CliSession.Open(parsed.Location(), parsed.PolicyPath());
            var instanceId = await session.Engine.ResolveAsync(parsed.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            var actor = OsIdentity.For(parsed.GetValue(asName), await session.Engine.GetAsync(instanceId, cancellationToken).ConfigureAwait(false));
            await session.Engine.CancelAsync(instanceId, parsed.GetValue(reason)!, actor, cancellationToken).ConfigureAwait(false);
            await parsed.InvocationConfiguration.Output.WriteLineAsync($"Instance {instanceId} is cancelled by {actor.Name}.").ConfigureAwait(false);
            return ExitCodes.Done;
        });
        return command;
    }
}
