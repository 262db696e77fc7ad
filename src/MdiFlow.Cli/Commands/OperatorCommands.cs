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
        var step = new Option<string>("--step") { Description = "The failed step to skip (never a gate).", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why; kept in the journal.", Required = true };
        var asName = CommonOptions.As();
        var command = new Command("skip", "Mark a failed step skipped and continue past it on the next resume (gates never; steps before a gate only where the policy allows).") { id, step, reason, asName };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var globals = parsed.Globals();
            var (session, instance) = await CliSession.ForInstanceAsync(globals, parsed.GetValue(id)!, startLab: false, cancellationToken).ConfigureAwait(false);
            await using var owned = session.ConfigureAwait(false);
            var actor = OsIdentity.For(parsed.GetValue(asName));
            var skipped = await session.Engine.SkipAsync(instance.Id, parsed.GetValue(step)!, parsed.GetValue(reason)!, actor, cancellationToken).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            await output.WriteLineAsync(
                $"Step '{TerminalText.Safe(parsed.GetValue(step))}' of instance {instance.Id} is skipped by {TerminalText.Safe(actor.Name)}; the instance is {InstanceView.Name(skipped.Status)}. Continue it:  mdiflow resume {instance.Id}{globals.Repeated}").ConfigureAwait(false);
            await output.WriteLineAsync(RunReport.JournalHead(skipped)).ConfigureAwait(false);
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
            var (session, instance) = await CliSession.ForInstanceAsync(parsed.Globals(), parsed.GetValue(id)!, startLab: false, cancellationToken).ConfigureAwait(false);
            await using var owned = session.ConfigureAwait(false);
            var actor = OsIdentity.For(parsed.GetValue(asName));
            var cancelled = await session.Engine.CancelAsync(instance.Id, parsed.GetValue(reason)!, actor, cancellationToken).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            await output.WriteLineAsync($"Instance {instance.Id} is cancelled by {TerminalText.Safe(actor.Name)}.").ConfigureAwait(false);
            await output.WriteLineAsync(RunReport.JournalHead(cancelled)).ConfigureAwait(false);
            return ExitCodes.Done;
        });
        return command;
    }
}
