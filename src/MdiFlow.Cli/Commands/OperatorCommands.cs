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
            var (session, instance) = await CliSession.ForInstanceAsync(location, parsed.PolicyPath(), parsed.GetValue(id)!, null, cancellationToken).ConfigureAwait(false);
            await using var owned = session.ConfigureAwait(false);
            var instanceId = instance.Id;
            var actor = OsIdentity.For(parsed.GetValue(asName), instance);
            var skipped = await session.Engine.SkipAsync(instanceId, parsed.GetValue(step)!, parsed.GetValue(reason)!, actor, cancellationToken).ConfigureAwait(false);
            await parsed.InvocationConfiguration.Output.WriteLineAsync(
                $"Step '{parsed.GetValue(step)}' of instance {instanceId} is skipped by {actor.Name}; the instance is {InstanceView.Name(skipped.Status)}. Continue it:  mdiflow resume {instanceId}{location.Argument}").ConfigureAwait(false);
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
            var (session, instance) = await CliSession.ForInstanceAsync(parsed.Location(), parsed.PolicyPath(), parsed.GetValue(id)!, null, cancellationToken).ConfigureAwait(false);
            await using var owned = session.ConfigureAwait(false);
            var instanceId = instance.Id;
            var actor = OsIdentity.For(parsed.GetValue(asName), instance);
            await session.Engine.CancelAsync(instanceId, parsed.GetValue(reason)!, actor, cancellationToken).ConfigureAwait(false);
            await parsed.InvocationConfiguration.Output.WriteLineAsync($"Instance {instanceId} is cancelled by {actor.Name}.").ConfigureAwait(false);
            return ExitCodes.Done;
        });
        return command;
    }
}
