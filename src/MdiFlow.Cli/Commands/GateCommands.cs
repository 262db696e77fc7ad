using System.CommandLine;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Engine;
using MdiFlow.Gates;

namespace MdiFlow.Cli.Commands;

/// <summary>
/// <c>approve</c>, <c>reject</c> and <c>complete</c>: a person's decision at the gate an instance waits at (an approval, a
/// manual task, or an embedder's own kind of gate); <c>assign</c> and <c>unassign</c>: taking a manual task and giving it back.
/// </summary>
internal static class GateCommands
{
    public static Command Approve()
    {
        var step = new Option<string?>("--step") { Description = "The gate's step (default: the one it waits at)." };
        var comment = new Option<string?>("--comment") { Description = "Why you approve; kept in the journal." };
        return Create("approve", "Record your approval at the gate the instance waits at.", GateAction.Approve, step, comment);
    }

    public static Command Reject()
    {
        var step = new Option<string?>("--step") { Description = "The gate's step (default: the one it waits at)." };
        var reason = new Option<string>("--reason") { Description = "Why you reject; kept in the journal.", Required = true };
        return Create("reject", "Reject the gate; the instance ends rejected.", GateAction.Reject, step, reason);
    }

    public static Command Complete()
    {
        var step = new Option<string?>("--step") { Description = "The manual task's step.", Required = true };
        var evidence = new Option<string?>("--evidence") { Description = "What you did, as evidence for the record." };
        return Create("complete", "Finish a manual task, recording evidence.", GateAction.Complete, step, evidence);
    }

    public static Command Assign()
    {
        var step = new Option<string?>("--step") { Description = "The manual task's step (default: the one it waits at)." };
        return Create<string?>("assign", "Take the manual task the instance waits at: until you unassign it, only you may complete it.", GateAction.Assign, step, null);
    }

    public static Command Unassign()
    {
        var step = new Option<string?>("--step") { Description = "The manual task's step (default: the one it waits at)." };
        return Create<string?>("unassign", "Give back the manual task the instance waits at, so any of its assignees may take or complete it.", GateAction.Unassign, step, null);
    }

    private static Command Create<TText>(string name, string description, GateAction action, Option<string?> step, Option<TText>? text)
    {
        var id = CommonOptions.InstanceId();
        var asName = CommonOptions.As();
        var json = CommonOptions.Json();
        var command = new Command(name, description) { id, step, asName, json };
        if (text is not null)
        {
            command.Add(text);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var globals = parsed.Globals();
            var output = parsed.InvocationConfiguration.Output;
            var (session, instance) = await CliSession.ForInstanceAsync(globals, parsed.GetValue(id)!, startLab: false, cancellationToken).ConfigureAwait(false);
            await using var owned = session.ConfigureAwait(false);
            var instanceId = instance.Id;
            var actor = OsIdentity.For(parsed.GetValue(asName));
            var result = await session.Engine.ActAsync(instanceId, new GateActionRequest
            {
                Action = action,
                Actor = actor,
                Step = parsed.GetValue(step),
                Text = text is null ? null : parsed.GetValue(text) as string,
            }, cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(output, InstanceView.ToJson(result.Instance));
                return ExitCodes.Done;
            }

            if (result.Note is not null)
            {
                await output.WriteLineAsync(TerminalText.Safe(result.Note)).ConfigureAwait(false);
                return ExitCodes.Done;
            }

            var status = InstanceView.Name(result.Instance.Status);
            await output.WriteLineAsync($"Recorded: {TerminalText.Safe(actor.Name)} ({actor.Source}) {Past(action)} at instance {instanceId}; it is now {status}.").ConfigureAwait(false);
            await output.WriteLineAsync(RunReport.JournalHead(result.Instance)).ConfigureAwait(false);
            if (result.Instance.Status == Instances.InstanceStatus.Ready)
            {
                await output.WriteLineAsync($"Continue it:  mdiflow resume {instanceId}{globals.Repeated}").ConfigureAwait(false);
            }
            else if (result.Instance.Status == Instances.InstanceStatus.Waiting)
            {
                RunReport.WaitingHints(result.Instance, session, globals, output);
            }

            return ExitCodes.Done;
        });
        return command;
    }

    private static string Past(GateAction action) => action switch
    {
        GateAction.Approve => "approved",
        GateAction.Reject => "rejected",
        GateAction.Assign => "took the task",
        GateAction.Unassign => "gave the task back",
        _ => "completed the task",
    };
}
