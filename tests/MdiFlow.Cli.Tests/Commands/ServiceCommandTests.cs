using System.Diagnostics;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class ServiceCommandTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Service_install_run_writes_a_unit_systemd_accepts_whose_command_runs_the_worker_on_the_same_store_and_configuration()
    {
        var units = Directory.CreateDirectory(_ws.PathOf("units")).FullName;
        var bin = Directory.CreateDirectory(_ws.PathOf("bin")).FullName;
        var calls = _ws.PathOf("systemctl-calls");
        // systemctl as a stand-in that records what it was asked (the machine's own systemd is not ours to change).
        File.WriteAllText(Path.Combine(bin, "systemctl"), $"#!/bin/sh\necho \"$@\" >> '{calls}'\n");
        File.SetUnixFileMode(Path.Combine(bin, "systemctl"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var config = _ws.Write("ops.json", """{ "worker": { "interval": "7" } }""");
        var environment = new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };

        var install = cli.Mdiflow(_ws.Root, environment, "service", "install", "--run", "--unit-directory", units, "--user", "root", "--store", _ws.Store, "--config", "ops.json");

        install.ExitCode.Should().Be(0, install.ToString());
        var unit = Path.Combine(units, "mdiflow-worker.service");
        File.ReadAllLines(calls).Should().Equal("daemon-reload", "enable --now mdiflow-worker.service");
        var text = File.ReadAllText(unit);
        text.Should().Contain("\nUser=root\n").And.Contain($"\nWorkingDirectory={_ws.Root}\n").And.Contain("\nRestart=on-failure\n");
        var exec = text.Split('\n').Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..].Split(' ');
        exec[^5..].Should().Equal("worker", "--store", _ws.Store, "--config", config);
        Verify(unit);

        // The unit's command, run by hand once, is a working worker on that store.
        var pass = RunCommand([.. exec, "--once"]);
        pass.ExitCode.Should().Be(0, pass.Output);
        pass.Output.Should().Contain("Worker pass done: 0 instance(s) advanced.");
    }

    [Fact]
    public void Service_install_prints_the_systemd_steps_with_this_command_lines_store()
    {
        var printed = cli.Mdiflow(_ws.Root, "service", "install", "--platform", "linux", "--store", "sqlite:/var/lib/mdiflow/mdiflow.db");

        printed.ExitCode.Should().Be(0, printed.ToString());
        printed.Stdout.Should().Contain("sudo systemctl enable --now mdiflow-worker.service")
            .And.Contain("journalctl -u mdiflow-worker.service -f")
            .And.Contain("sudo install -d -o mdiflow -g mdiflow -m 0700 /var/lib/mdiflow")
            .And.MatchRegex(@"ExecStart=\S+ \S*mdiflow\.dll worker --store sqlite:/var/lib/mdiflow/mdiflow\.db\n");
    }

    [Fact]
    public void Service_install_prints_the_sc_exe_steps_of_a_windows_service_running_as_local_system()
    {
        var printed = cli.Mdiflow(_ws.Root, "service", "install", "--platform", "windows", "--executable", @"C:\Program Files\MdiFlow\mdiflow.exe", "--store", @"sqlite:D:\MdiFlow\mdiflow.db");

        printed.ExitCode.Should().Be(0, printed.ToString());
        printed.Stdout.Should().Contain("""  sc.exe create MdiFlowWorker binPath= "\"C:\Program Files\MdiFlow\mdiflow.exe\" worker --store sqlite:D:\MdiFlow\mdiflow.db" start= delayed-auto obj= LocalSystem DisplayName= "MdiFlow worker" """.TrimEnd())
            .And.Contain("  sc.exe failure MdiFlowWorker reset= 86400 actions= restart/60000/restart/60000/restart/300000")
            .And.Contain("  sc.exe start MdiFlowWorker");
    }

    [Fact]
    public void Service_install_run_refuses_the_steps_of_another_platform()
    {
        var refused = cli.Mdiflow(_ws.Root, "service", "install", "--platform", "windows", "--run");

        refused.ExitCode.Should().Be(2, refused.ToString());
        refused.Stderr.Should().Contain("--run carries out the steps of this machine only");
    }

    public void Dispose() => _ws.Dispose();

    /// <summary>systemd's own check of a unit file: every key known, the program executable.</summary>
    private static void Verify(string unit)
    {
        var result = RunCommand(["systemd-analyze", "verify", unit]);
        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().BeEmpty("systemd-analyze verify finds nothing to say about the unit");
    }

    private static (int ExitCode, string Output) RunCommand(string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command[1..])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("MDIFLOW_STORE");
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
