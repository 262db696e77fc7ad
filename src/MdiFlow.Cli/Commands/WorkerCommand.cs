using System.CommandLine;
using MdiFlow.Cli.Configuration;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Storage;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow worker [--once]</c>: run the instances that are ready or due, recover crashed ones, act on expired gates.</summary>
internal static class WorkerCommand
{
    private static readonly InstanceStatus[] Candidates = [InstanceStatus.Pending, InstanceStatus.Ready, InstanceStatus.Scheduled, InstanceStatus.Running, InstanceStatus.Waiting];

    /// <summary>This host's name: the configuration's <c>worker.host</c> (this flag wins).</summary>
    public static readonly Option<string?> Host = new("--host") { Description = "This host's name in leases (default: worker.host in mdiflow.json, else the machine name)." };

    /// <summary>Seconds between passes: the configuration's <c>worker.interval</c> (this flag wins).</summary>
    public static readonly Option<int?> Interval = new("--interval") { Description = "Seconds between passes (default: worker.interval in mdiflow.json, else 5)." };

    public static Command Create()
    {
        var once = new Option<bool>("--once") { Description = "Make one pass and exit." };
        var command = new Command("worker", "Run instances that are ready or due on this host; recover crashed runs; act on expired gates. Runs only what the policy lets this account run.") { once, Host, Interval };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var globals = parsed.Globals();
            var interval = TimeSpan.FromSeconds(int.Parse(globals.Configuration.Value(Settings.WorkerInterval)!, System.Globalization.CultureInfo.InvariantCulture));
            await using var session = CliSession.ForWriting(globals, globals.Configuration.Value(Settings.WorkerHost));
            var actor = OsIdentity.Current();
            do
            {
                var ran = await PassAsync(session, globals, actor, output, cancellationToken).ConfigureAwait(false);
                if (parsed.GetValue(once))
                {
                    await output.WriteLineAsync($"Worker pass done: {ran} instance(s) advanced.").ConfigureAwait(false);
                    return ExitCodes.Done;
                }

                try
                {
                    await Task.Delay(interval, TimeProvider.System, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break; // Ctrl+C or a stop signal between passes: a worker that stops as asked has done its job.
                }
            }
            while (!cancellationToken.IsCancellationRequested);
            await output.WriteLineAsync("Worker stopped.").ConfigureAwait(false);
            return ExitCodes.Done;
        });
        return command;
    }

    private static async Task<int> PassAsync(CliSession session, CliGlobals globals, Journal.Actor actor, TextWriter output, CancellationToken cancellationToken)
    {
        var advanced = 0;
        foreach (var status in Candidates)
        {
            foreach (var summary in await session.Store.ListAsync(new InstanceQuery(status, 500), cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    // Acting on an expired gate happens here; what is left to do is running what is ready or due.
                    var refreshed = await session.Engine.RefreshAsync(summary.InstanceId, cancellationToken).ConfigureAwait(false);
                    if (refreshed.Status is InstanceStatus.Waiting or InstanceStatus.Rejected or InstanceStatus.Completed or InstanceStatus.Cancelled or InstanceStatus.Failed)
                    {
                        advanced += refreshed.Status != summary.Status ? 1 : 0;
                        continue;
                    }

                    // A rehearsal runs against its own lab, started for this instance alone.
                    var lab = refreshed.IsRehearsal
                        ? await CliSession.ForRehearsalAsync(globals, refreshed.Id, CliSession.ProfileOf(refreshed), cancellationToken).ConfigureAwait(false)
                        : null;
                    await using (lab)
                    {
                        var result = await Runs.RunAsync(lab ?? session, summary.InstanceId, actor, output, cancellationToken).ConfigureAwait(false);
                        if (result.Version != refreshed.Version)
                        {
                            advanced++;
                            await output.WriteLineAsync($"{summary.InstanceId}: {InstanceView.Name(refreshed.Status)} -> {InstanceView.Name(result.Status)}").ConfigureAwait(false);
                        }
                    }
                }
                catch (Exception ex) when (ex is InstanceStateException or ConcurrencyException)
                {
                    // Another process holds or just took it: not ours to run now.
                }
                catch (ActionNotAllowedException ex)
                {
                    await output.WriteLineAsync($"{summary.InstanceId}: not run: {TerminalText.Safe(ex.Message)}").ConfigureAwait(false);
                }
                catch (IntegrityException ex)
                {
                    await output.WriteLineAsync($"{summary.InstanceId}: not run: {TerminalText.Safe(ex.Message)}").ConfigureAwait(false);
                }
            }
        }

        return advanced;
    }
}
