using System.Text;

namespace MdiFlow.Cli.Hosting;

/// <summary>
/// How <c>mdiflow worker</c> is kept running by the operating system: a systemd unit (journald keeps its output) or a
/// Windows service created with <c>sc.exe</c> (running as LocalSystem, which the sensor's setup needs).
/// </summary>
/// <param name="Name">The service's name: <c>mdiflow-worker</c> (systemd), <c>MdiFlowWorker</c> (Windows).</param>
/// <param name="Command">The program and its arguments: <c>/usr/local/bin/mdiflow worker --store sqlite:...</c>.</param>
/// <param name="User">The account the worker runs as (systemd); Windows services run as LocalSystem.</param>
/// <param name="WorkingDirectory">The store's folder.</param>
internal sealed record WorkerService(string Name, IReadOnlyList<string> Command, string User, string WorkingDirectory)
{
    /// <summary>
    /// The unit's <c>Type</c>: <c>notify</c>, as the worker reports ready and stopping itself (sd_notify, through
    /// Microsoft.Extensions.Hosting.Systemd), so systemd counts it started only once it runs its passes.
    /// </summary>
    public const string UnitType = "notify";

    /// <summary>The systemd unit file.</summary>
    public string Unit() => $"""
        [Unit]
        Description=MdiFlow worker: runs the instances that are ready or due, recovers interrupted runs, acts on expired gates
        Documentation=https://github.com/mdiflow/mdiflow/blob/main/docs/cli.md
        Wants=network-online.target
        After=network-online.target

        [Service]
        Type={UnitType}
        ExecStart={string.Join(' ', Command.Select(Systemd))}
        User={User}
        WorkingDirectory={WorkingDirectory}
        Environment=DOTNET_CLI_TELEMETRY_OPTOUT=1
        Restart=on-failure
        RestartSec=10
        KillSignal=SIGTERM
        TimeoutStopSec=120
        NoNewPrivileges=true
        PrivateTmp=true
        ProtectSystem=full

        [Install]
        WantedBy=multi-user.target

        """;

    /// <summary>The <c>sc.exe</c> commands that create, describe, restart-on-failure and start the Windows service.</summary>
    public IReadOnlyList<string> WindowsCommands()
    {
        var binPath = string.Join(' ', Command.Select(WindowsArgument));
        return
        [
            $"sc.exe create {Name} binPath= \"{binPath.Replace("\"", "\\\"", StringComparison.Ordinal)}\" start= delayed-auto obj= LocalSystem DisplayName= \"MdiFlow worker\"",
            $"sc.exe description {Name} \"Runs MdiFlow instances that are ready or due, recovers interrupted runs and acts on expired gates.\"",
            $"sc.exe failure {Name} reset= 86400 actions= restart/60000/restart/60000/restart/300000",
            $"sc.exe start {Name}",
        ];
    }

    /// <summary>A word of ExecStart: quoted when it has a space, with <c>%</c> doubled (systemd expands specifiers).</summary>
    private static string Systemd(string word)
    {
        var text = word.Replace("%", "%%", StringComparison.Ordinal);
        return text.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\' or ';' or '$')
            ? "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal) + "\""
            : text;
    }

    /// <summary>A word of binPath, as Windows programs split their command line.</summary>
    private static string WindowsArgument(string word)
    {
        if (word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c == '"'))
        {
            return word;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in word)
        {
            quoted.Append(c == '"' ? "\\\"" : c);
        }

        return quoted.Append('"').ToString();
    }
}
