using System.CommandLine;
using System.Text.Json.Nodes;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Journal;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow audit ID [--verify]</c>: the journal, and whether its hash chain is intact.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var id = CommonOptions.InstanceId();
        var verify = new Option<bool>("--verify") { Description = "Check the hash chain; exit 3 and name the first broken entry when it is broken." };
        var json = CommonOptions.Json();
        var jsonLines = new Option<bool>("--jsonl") { Description = "Export the journal as JSON lines (one entry per line, every field and hash) for a change record." };
        var command = new Command("audit", "The instance's journal; --verify checks its hash chain.") { id, verify, json, jsonLines };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            await using var session = CliSession.Open(parsed.Location());
            var instanceId = await session.Engine.ResolveAsync(parsed.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            var entries = await session.Store.ReadJournalAsync(instanceId, cancellationToken).ConfigureAwait(false);
            var broken = JournalChain.Verify(entries);
            var machine = parsed.GetValue(json) || parsed.GetValue(jsonLines);
            if (parsed.GetValue(jsonLines))
            {
                foreach (var e in entries)
                {
                    await output.WriteLineAsync(Entry(instanceId, e).ToJsonString()).ConfigureAwait(false);
                }
            }
            else if (parsed.GetValue(json))
            {
                JsonOutput.Write(output, new JsonObject
                {
                    ["instanceId"] = instanceId.Value,
                    ["verified"] = broken is null,
                    ["brokenAt"] = broken?.Seq,
                    ["reason"] = broken?.Reason,
                    ["entries"] = new JsonArray([.. entries.Select(e => (JsonNode)Entry(e))]),
                });
            }
            else
            {
                foreach (var e in entries)
                {
                    await output.WriteLineAsync($"{e.Seq,4}  {e.At:yyyy-MM-dd HH:mm:ss.fff}  {e.Kind,-20} {e.Step ?? "-",-16} {e.Actor} ({e.ActorSource})  {e.Data}").ConfigureAwait(false);
                }
            }

            if (!parsed.GetValue(verify))
            {
                return ExitCodes.Done;
            }

            var message = broken is null
                ? $"Journal of {instanceId} verified: {entries.Count} entries, chain intact."
                : $"Journal of {instanceId} is broken at entry {broken.Seq}: {broken.Reason}. The record was altered outside MdiFlow.";
            await (machine ? parsed.InvocationConfiguration.Error : output).WriteLineAsync(message).ConfigureAwait(false);
            return broken is null ? ExitCodes.Done : ExitCodes.Store;
        });
        return command;
    }

    private static JsonObject Entry(JournalEntry e) => new()
    {
        ["seq"] = e.Seq,
        ["at"] = e.At,
        ["kind"] = e.Kind,
        ["actor"] = e.Actor,
        ["actorSource"] = e.ActorSource,
        ["step"] = e.Step,
        ["data"] = e.Data is null ? null : JsonNode.Parse(e.Data),
        ["hash"] = e.Hash,
    };

    /// <summary>One exported line: every stored field exactly, so the chain can be re-verified from the export alone.</summary>
    private static JsonObject Entry(Instances.InstanceId instanceId, JournalEntry e)
    {
        var line = Entry(e);
        line["instanceId"] = instanceId.Value;
        line["dataText"] = e.Data;
        line["previousHash"] = e.PreviousHash;
        return line;
    }
}
