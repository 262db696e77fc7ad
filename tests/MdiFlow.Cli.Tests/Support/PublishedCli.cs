using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace MdiFlow.Cli.Tests.Support;

/// <summary>
/// The CLI published once per test run into a temporary folder, run as real processes
/// (<c>dotnet mdiflow.dll ...</c>) exactly as operators run it.
/// </summary>
public sealed class PublishedCli : IDisposable
{
    public PublishedCli()
    {
        Directory = Path.Combine(Path.GetTempPath(), "mdiflow-cli-" + Guid.NewGuid().ToString("n")[..8]);
        var project = Path.Combine(RepositoryRoot, "src", "MdiFlow.Cli", "MdiFlow.Cli.csproj");
        var configuration = typeof(PublishedCli).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var result = Run("dotnet", ["publish", project, "-c", configuration, "--no-build", "-o", Directory, "-nologo"], RepositoryRoot, null, TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
        }
    }

    public static string RepositoryRoot { get; } = FindRoot();

    public string Directory { get; }

    public string Dll => Path.Combine(Directory, "mdiflow.dll");

    /// <summary>Runs <c>mdiflow</c> to completion.</summary>
    public CliResult Mdiflow(string workingDirectory, params string[] args) => Mdiflow(workingDirectory, null, args);

    public CliResult Mdiflow(string workingDirectory, IDictionary<string, string>? environment, params string[] args) =>
        Run("dotnet", [Dll, .. args], workingDirectory, environment, TimeSpan.FromMinutes(2));

    /// <summary>Runs <c>mdiflow</c> as <see cref="CliAs.User"/> (an OS account) under <see cref="CliAs.Policy"/> (mounted at /etc/mdiflow).</summary>
    public CliResult MdiflowAs(string workingDirectory, CliAs who, params string[] args) => MdiflowAs(workingDirectory, who, null, args);

    public CliResult MdiflowAs(string workingDirectory, CliAs who, IDictionary<string, string>? environment, params string[] args)
    {
        var command = Command(who, args);
        return Run(command[0], command[1..], workingDirectory, environment, TimeSpan.FromMinutes(2));
    }

    /// <summary>Starts <c>mdiflow</c> as <see cref="CliAs.User"/> under <see cref="CliAs.Policy"/>, handing each output line to <paramref name="onLine"/>.</summary>
    public Process StartAs(string workingDirectory, CliAs who, Action<string>? onLine, params string[] args) => StartAs(workingDirectory, who, onLine, null, args);

    /// <summary>As <see cref="StartAs(string, CliAs, Action{string}?, string[])"/>, also handing each line of standard error to <paramref name="onError"/>.</summary>
    public Process StartAs(string workingDirectory, CliAs who, Action<string>? onLine, Action<string>? onError, params string[] args)
    {
        var command = Command(who, args);
        var process = new Process { StartInfo = StartInfo(command[0], command[1..], workingDirectory, null) };
        if (onLine is not null)
        {
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    onLine(e.Data);
                }
            };
        }

        if (onError is not null)
        {
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    onError(e.Data);
                }
            };
        }

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// The command line: <c>dotnet mdiflow.dll ARGS</c>, run by <c>runuser</c> as another account, inside a private
    /// mount namespace with the policy folder bind-mounted over /etc/mdiflow.
    /// </summary>
    private string[] Command(CliAs who, string[] args)
    {
        string[] command = ["dotnet", Dll, .. args];
        if (who.User is { } user)
        {
            command = ["runuser", "-u", user, "--", "env", "HOME=/tmp", "DOTNET_CLI_TELEMETRY_OPTOUT=1", .. command];
        }

        if (who.Policy is { } policy)
        {
            command = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", "mount --bind \"$0\" /etc/mdiflow && exec \"$@\"", policy.Folder, .. command];
        }

        return command;
    }

    /// <summary>Starts <c>mdiflow</c> and leaves it running (to be killed).</summary>
    public Process Start(string workingDirectory, params string[] args) => Start(workingDirectory, null, args);

    /// <summary>Starts <c>mdiflow</c> with extra environment variables and leaves it running.</summary>
    public Process Start(string workingDirectory, IDictionary<string, string>? environment, params string[] args) =>
        Start(workingDirectory, environment, null, args);

    /// <summary>Starts <c>mdiflow</c>, handing each line it writes to standard output to <paramref name="onLine"/>.</summary>
    public Process Start(string workingDirectory, IDictionary<string, string>? environment, Action<string>? onLine, params string[] args)
    {
        // A test run started in the background inherits SIGINT ignored, and so would mdiflow: Ctrl+C must reach it as
        // it does from a terminal, so env resets it to the default and then becomes dotnet (same pid).
        var info = OperatingSystem.IsLinux() && File.Exists("/usr/bin/env")
            ? StartInfo("/usr/bin/env", ["--default-signal=INT,QUIT", "dotnet", Dll, .. args], workingDirectory, environment)
            : StartInfo("dotnet", [Dll, .. args], workingDirectory, environment);
        var process = new Process { StartInfo = info };
        if (onLine is not null)
        {
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    onLine(e.Data);
                }
            };
        }

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static CliResult Run(string file, string[] args, string workingDirectory, IDictionary<string, string>? environment, TimeSpan timeout)
    {
        using var process = new Process { StartInfo = StartInfo(file, args, workingDirectory, environment) };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', args)}' did not finish within {timeout}.\n{stdout}\n{stderr}");
        }

        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    private static ProcessStartInfo StartInfo(string file, string[] args, string workingDirectory, IDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Remove("MDIFLOW_STORE");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "MdiFlow.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("MdiFlow.sln not found above the test binaries.");
        }

        return dir;
    }
}

/// <summary>Who runs a command: an OS account (null: this test's own), under an installed policy (null: none installed).</summary>
public sealed record CliAs(string? User = null, SystemPolicy? Policy = null);

/// <summary>What a finished <c>mdiflow</c> process left.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<PublishedCli>
{
    public const string Name = "published cli";
}
