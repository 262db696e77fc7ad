using System.CommandLine;
using System.Text.Json.Nodes;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Instances;
using MdiFlow.Storage;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow list [--status STATUS]</c>: instances, newest first.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var status = new Option<string?>("--status") { Description = "Only instances in this status." };
        status.AcceptOnlyFromAmong([.. Enum.GetValues<InstanceStatus>().Select(InstanceView.Name)]);
        var limit = new Option<int>("--limit") { Description = "At most this many.", DefaultValueFactory = _ => 100 };
        var json = CommonOptions.Json();
        var command = new Command("list", "Instances, newest first.") { status, limit, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var globals = parsed.Globals();
            var filter = parsed.GetValue(status) is { } s ? Enum.Parse<InstanceStatus>(s, ignoreCase: true) : (InstanceStatus?)null;
            if (!globals.Store.Exists)
            {
                if (parsed.GetValue(json))
                {
                    JsonOutput.Write(output, new JsonArray());
                }
                else
                {
                    await output.WriteLineAsync($"No instances yet: there is no store at '{globals.Store.Display}'. Start one with 'mdiflow run WORKFLOW.json{globals.Repeated}'.").ConfigureAwait(false);
                }

                return ExitCodes.Done;
            }

            await using var session = CliSession.ForReading(globals);
            var rows = await session.Store.ListAsync(new InstanceQuery(filter, Math.Max(1, parsed.GetValue(limit))), cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(output, System.Text.Json.JsonSerializer.SerializeToNode(rows.Select(MdiFlow.Web.Api.InstanceJson.Item).ToList(), MdiFlow.Serialization.MdiFlowJson.Options));
                return ExitCodes.Done;
            }

            if (rows.Count == 0)
            {
                await output.WriteLineAsync(filter is null ? $"No instances yet. Start one with 'mdiflow run WORKFLOW.json{globals.Repeated}'." : $"No instances are {InstanceView.Name(filter.Value)}.").ConfigureAwait(false);
                return ExitCodes.Done;
            }

            await output.WriteLineAsync($"{"INSTANCE",-26}  {"WORKFLOW",-28}  {"STATUS",-9}  UPDATED").ConfigureAwait(false);
            foreach (var r in rows)
            {
                await output.WriteLineAsync($"{r.InstanceId.Value,-26}  {TerminalText.Safe(r.WorkflowId),-28}  {InstanceView.Name(r.Status),-9}  {r.UpdatedAt:u}").ConfigureAwait(false);
                if (r.Status == InstanceStatus.Waiting)
                {
                    await output.WriteLineAsync($"    {await WaitingLineAsync(session, r.InstanceId, globals, cancellationToken).ConfigureAwait(false)}").ConfigureAwait(false);
                }
            }

            return ExitCodes.Done;
        });
        return command;
    }

    /// <summary>What a waiting instance waits for; a record that fails its check is named, not shown.</summary>
    private static async Task<string> WaitingLineAsync(CliSession session, InstanceId id, CliGlobals globals, CancellationToken cancellationToken)
    {
        try
        {
            return GateText.Remaining(await session.Engine.GetAsync(id, cancellationToken).ConfigureAwait(false));
        }
        catch (IntegrityException)
        {
            return $"its record fails its integrity check: run 'mdiflow audit {id} --verify{globals.Repeated}'.";
        }
    }
}
