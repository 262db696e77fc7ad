using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using MdiFlow.Cli.Hosting;
using MdiFlow.Engine;

namespace MdiFlow.Cli.Commands;

/// <summary>
/// <c>mdiflow service install</c>: the documented steps that keep <c>mdiflow worker</c> running on this host, as a
/// systemd unit or a Windows service; printed, or with <c>--run</c> carried out.
/// </summary>
internal static class ServiceCommand
{
    public static Command Create()
    {
        var platform = new Option<string?>("--platform") { Description = "The steps for linux (systemd) or windows (sc.exe); default: this machine's." };
        platform.AcceptOnlyFromAmong("linux", "windows");
        var run = new Option<bool>("--run") { Description = "Carry the steps out (as root / an administrator) instead of printing them." };
        var name = new Option<string?>("--name") { Description = "The service's name (default mdiflow-worker; MdiFlowWorker on Windows)." };
        var user = new Option<string>("--user") { Description = "The account the worker runs as under systemd (Windows services run as LocalSystem, which the sensor's setup needs).", DefaultValueFactory = _ => "mdiflow" };
        var executable = new Option<string?>("--executable") { Description = "The mdiflow program the service starts (default: this one; C:\\Program Files\\MdiFlow\\mdiflow.exe when printing Windows steps elsewhere)." };
        var unitDirectory = new Option<string>("--unit-directory") { Description = "Where --run writes the systemd unit.", DefaultValueFactory = _ => "/etc/systemd/system" };
        var install = new Command("install", "Print (or with --run carry out) the steps that run 'mdiflow worker' as a systemd unit or a Windows service, with this command line's store and configuration.")
        {
            platform, run, name, user, executable, unitDirectory,
        };
        install.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var globals = parsed.Globals();
            var windows = (parsed.GetValue(platform) ?? (OperatingSystem.IsWindows() ? "windows" : "linux")) == "windows";
            var service = Describe(globals, windows, parsed.GetValue(name), parsed.GetValue(user)!, parsed.GetValue(executable));
            if (!parsed.GetValue(run))
            {
                await output.WriteAsync(windows ? WindowsSteps(service) : LinuxSteps(service, parsed.GetValue(unitDirectory)!)).ConfigureAwait(false);
                return ExitCodes.Done;
            }

            if (windows != OperatingSystem.IsWindows())
            {
                throw new UsageException($"--run carries out the steps of this machine only; print the {(windows ? "Windows" : "Linux")} steps without --run and run them there.");
            }

            return windows
                ? await RunAllAsync(service.WindowsCommands().Select(c => ("sc.exe", c["sc.exe ".Length..])).ToList(), output, cancellationToken).ConfigureAwait(false)
                : await InstallUnitAsync(service, parsed.GetValue(unitDirectory)!, output, cancellationToken).ConfigureAwait(false);
        });
        return new Command("service", "Keep 'mdiflow worker' running as a systemd unit or a Windows service.") { install };
    }

    private static WorkerService Describe(CliGlobals globals, bool windows, string? name, string user, string? executable)
    {
        var store = globals.Store.Explicit || globals.Configuration.Get(Configuration.Settings.Store)?.Source != "built-in default"
            ? $"{globals.Store.Kind}:{(windows == OperatingSystem.IsWindows() ? Path.GetFullPath(globals.Store.Target) : globals.Store.Target)}"
            : windows ? @"sqlite:C:\ProgramData\MdiFlow\mdiflow.db" : "sqlite:/var/lib/mdiflow/mdiflow.db";
        List<string> command = [.. Program(windows, executable), "worker", "--store", store];
        if (globals.ConfigOption is { } config)
        {
            command.AddRange(["--config", windows == OperatingSystem.IsWindows() ? Path.GetFullPath(config) : config]);
        }

        if (globals.PolicyOption is { } policy)
        {
            command.AddRange(["--policy", windows == OperatingSystem.IsWindows() ? Path.GetFullPath(policy) : policy]);
        }

        var folder = store[(store.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return new WorkerService(name ?? (windows ? "MdiFlowWorker" : "mdiflow-worker"), command, user, windows ? Path.GetDirectoryName(folder) ?? "." : Path.GetDirectoryName(folder) ?? "/");
    }

    /// <summary>This program as the service must start it: the published file or tool, or <c>dotnet mdiflow.dll</c>.</summary>
    private static IReadOnlyList<string> Program(bool windows, string? executable)
    {
        if (executable is not null)
        {
            return [executable];
        }

        if (windows != OperatingSystem.IsWindows())
        {
            return [windows ? @"C:\Program Files\MdiFlow\mdiflow.exe" : "/usr/local/bin/mdiflow"];
        }

        var host = Environment.ProcessPath ?? "mdiflow";
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? [host, Path.Combine(AppContext.BaseDirectory, "mdiflow.dll")]
            : [host];
    }

    private static string LinuxSteps(WorkerService service, string unitDirectory) => $"""
        To keep 'mdiflow worker' running under systemd (its output goes to journald):

        1. Once: the account it runs as, and the store's folder, readable by that account only.
             sudo useradd --system --home-dir {service.WorkingDirectory} --shell /usr/sbin/nologin {service.User}
             sudo install -d -o {service.User} -g {service.User} -m 0700 {service.WorkingDirectory}
        2. The unit, as {Path.Combine(unitDirectory, service.Name + ".service")}:

        {Indent(service.Unit())}
        3. Start it now and at every boot:
             sudo systemctl daemon-reload
             sudo systemctl enable --now {service.Name}.service
        4. Watch it:
             systemctl status {service.Name}.service
             journalctl -u {service.Name}.service -f

        'sudo mdiflow service install --run' writes the unit and carries out step 3 (step 1 stays yours).

        """;

    private static string WindowsSteps(WorkerService service) => $"""
        To keep 'mdiflow worker' running as a Windows service (as LocalSystem, which the sensor's setup needs), in an elevated prompt:

        {string.Join(Environment.NewLine, service.WindowsCommands().Select(c => "  " + c))}

        Watch it: sc.exe query {service.Name}; its log is in the Application event log.
        Remove it: sc.exe stop {service.Name}; sc.exe delete {service.Name}
        'mdiflow service install --run' in an elevated prompt carries these out.

        """;

    private static string Indent(string text) => string.Join(Environment.NewLine, text.TrimEnd().Split('\n').Select(l => ("     " + l.TrimEnd('\r')).TrimEnd()));

    private static async Task<int> InstallUnitAsync(WorkerService service, string unitDirectory, TextWriter output, CancellationToken cancellationToken)
    {
        var path = Path.Combine(unitDirectory, service.Name + ".service");
        try
        {
            await File.WriteAllTextAsync(path, service.Unit(), cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException)
        {
            throw new ActionNotAllowedException($"This account cannot write {path}. Run 'sudo mdiflow service install --run', or print the steps without --run.");
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        await output.WriteLineAsync($"Wrote {path}.").ConfigureAwait(false);
        return await RunAllAsync([("systemctl", "daemon-reload"), ("systemctl", $"enable --now {service.Name}.service")], output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs each command as printed (its arguments exactly as a prompt would pass them); stops at the first that fails.</summary>
    private static async Task<int> RunAllAsync(IReadOnlyList<(string File, string Arguments)> commands, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var (file, arguments) in commands)
        {
            await output.WriteLineAsync($"Running: {file} {arguments}").ConfigureAwait(false);
            Process process;
            try
            {
                process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false }) ?? throw new Win32Exception();
            }
            catch (Win32Exception)
            {
                throw new UsageException($"'{file}' cannot be started on this machine, so nothing more was done. Print the steps without --run and carry them out where {file} is.");
            }

            using (process)
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                if (process.ExitCode != 0)
                {
                    throw new ActionNotAllowedException($"'{file} {arguments}' exited with {process.ExitCode}; nothing after it was done. Fix what it printed (as root or an administrator) and run 'mdiflow service install --run' again.");
                }
            }
        }

        await output.WriteLineAsync("The worker runs as a service now.").ConfigureAwait(false);
        return ExitCodes.Done;
    }
}
