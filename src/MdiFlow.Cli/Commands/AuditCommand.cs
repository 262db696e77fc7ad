using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Engine;
using MdiFlow.Serialization;
using MdiFlow.Web.Api;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow audit ID [--verify [--expect-head MAC]] [--head]</c>: the journal, and whether the record is intact.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var id = CommonOptions.InstanceId();
        var verify = new Option<bool>("--verify") { Description = "Check the keyed chain against the instance (edited, removed, reordered, truncated or moved entries, a changed state or definition); exit 3 naming every problem." };
        var expectHead = new Option<string?>("--expect-head") { Description = "With --verify: prove that nothing up to this journal head (a MAC quoted earlier, for example in a change ticket) changed." };
        var head = new Option<bool>("--head") { Description = "Print the journal head (the last entry's MAC) to quote in a change ticket." };
        var json = CommonOptions.Json();
        var jsonLines = new Option<bool>("--jsonl") { Description = "Export the journal as JSON lines (one entry per line, every stored field and MAC) for a change record." };
        var command = new Command("audit", "The instance's journal; --verify checks its keyed chain against the instance, --head prints the head to quote.") { id, verify, expectHead, head, json, jsonLines };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            await using var session = CliSession.ForReading(parsed.Globals());
            var instanceId = await session.Engine.ResolveAsync(parsed.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            var entries = await session.Store.ReadJournalAsync(instanceId, cancellationToken).ConfigureAwait(false);
            var checking = parsed.GetValue(verify) || parsed.GetValue(expectHead) is not null;
            var verdict = checking || parsed.GetValue(json) ? await session.Engine.VerifyAsync(instanceId, parsed.GetValue(expectHead), cancellationToken).ConfigureAwait(false) : null;
            var machine = parsed.GetValue(json) || parsed.GetValue(jsonLines);
            if (parsed.GetValue(jsonLines))
            {
                foreach (var e in entries)
                {
                    await output.WriteLineAsync(InstanceJson.Line(instanceId, e)).ConfigureAwait(false);
                }
            }
            else if (parsed.GetValue(json))
            {
                JsonOutput.Write(output, JsonSerializer.SerializeToNode(InstanceJson.Audit(verdict!, entries), MdiFlowJson.Options));
            }
            else if (parsed.GetValue(head))
            {
                var last = entries.Count > 0 ? entries[^1] : null;
                await output.WriteLineAsync(last is null ? $"Instance {instanceId} has no journal entries." : $"journal head: {last.Mac} at entry {last.Seq}").ConfigureAwait(false);
            }
            else
            {
                foreach (var e in entries)
                {
                    await output.WriteLineAsync($"{e.Seq,4}  {e.At:yyyy-MM-dd HH:mm:ss.fff}  {TerminalText.Safe(e.Kind),-20} {TerminalText.Safe(e.Step ?? "-"),-16} {TerminalText.Safe(e.Actor)} ({TerminalText.Safe(e.ActorSource)})  {TerminalText.Safe(e.Data is null ? null : ReadableJson.Text(e.Data))}").ConfigureAwait(false);
                }
            }

            if (!checking)
            {
                return ExitCodes.Done;
            }

            var report = machine ? parsed.InvocationConfiguration.Error : output;
            if (verdict!.Verified)
            {
                await report.WriteLineAsync($"Journal of {instanceId} verified with key {verdict.KeyId} ({verdict.KeySource}): {verdict.Entries} entries, chain intact, agreeing with the instance and its definition{(parsed.GetValue(expectHead) is null ? "" : ", and the expected head is in it")}.").ConfigureAwait(false);
                await report.WriteLineAsync($"journal head: {verdict.Head} at entry {verdict.HeadSeq}").ConfigureAwait(false);
                return ExitCodes.Done;
            }

            await report.WriteLineAsync($"The record of {instanceId} does not verify{(verdict.KeyId is null ? "" : $" under key {verdict.KeyId}")}; it was altered outside MdiFlow:").ConfigureAwait(false);
            foreach (var problem in verdict.Problems)
            {
                await report.WriteLineAsync($"  - {TerminalText.Safe(problem)}").ConfigureAwait(false);
            }

            return ExitCodes.Store;
        });
        return command;
    }
}
