using System.CommandLine;
using MdiFlow.Cli.Configuration;
using MdiFlow.Cli.Hosting;
using MdiFlow.Hosting;
using MdiFlow.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MdiFlow.Cli.Commands;

/// <summary>
/// <c>mdiflow worker [--once]</c>: a thin host of the library's worker (<c>AddMdiFlowWorker</c>). It runs as a console
/// program, a systemd unit (Type=notify, logs to the journal) or a Windows service (logs to the Event Log).
/// </summary>
internal static class WorkerCommand
{
    /// <summary>The name of the Windows service and of the worker's log source.</summary>
    public const string ServiceName = "MdiFlowWorker";

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
            var interval = TimeSpan.FromSeconds(Math.Max(1, int.Parse(globals.Configuration.Value(Settings.WorkerInterval)!, System.Globalization.CultureInfo.InvariantCulture)));
            using var worker = Build(globals, globals.Configuration.Value(Settings.WorkerHost), interval, output);
            worker.Services.GetService<IStartupValidator>()?.Validate();
            if (parsed.GetValue(once))
            {
                var pass = await worker.Services.GetRequiredService<WorkflowWorker>().RunPassAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"Worker pass done: {pass.Advanced} instance(s) advanced.").ConfigureAwait(false);
                return ExitCodes.Done;
            }

            try
            {
                await worker.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped before it had started: nothing was taken.
            }

            await output.WriteLineAsync("Worker stopped. Any step under way was stopped and its instance handed back: start the worker again (or run 'mdiflow resume ID') to continue.").ConfigureAwait(false);
            return ExitCodes.Done;
        });
        return command;
    }

    private static IHost Build(CliGlobals globals, string? hostName, TimeSpan interval, TextWriter output)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "mdiflow" });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(25));
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(globals.Verbose ? LogLevel.Information : LogLevel.Warning);

        // Both are no-ops unless the process was started by that service manager.
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService(o => o.ServiceName = ServiceName);

        CliSession.AddServices(builder.Services, globals, CliSession.PolicyOf(globals), hostName, lab: null, readOnly: false);
        builder.Services.AddSingleton<IWorkerRunner>(sp => new CliWorkerRunner(globals, sp.GetRequiredService<Engine.WorkflowEngine>(), output));
        builder.Services.AddSingleton<IWorkerObserver>(new WorkerReport(output));
        builder.Services.AddMdiFlowWorker(o =>
        {
            o.PollInterval = interval;
            o.HostName = hostName;
            o.Actor = OsIdentity.Current();
        });
        return builder.Build();
    }
}
