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

    /// <summary>Starts <c>mdiflow</c> and leaves it running (to be killed).</summary>
    public Process Start(string workingDirectory, params string[] args) => Start(workingDirectory, null, args);

    /// <summary>Starts <c>mdiflow</c> with extra environment variables and leaves it running.</summary>
    public Process Start(string workingDirectory, IDictionary<string, string>? environment, params string[] args) =>
        Start(workingDirectory, environment, null, args);

    /// <summary>Starts <c>mdiflow</c>, handing each line it writes to standard output to <paramref name="onLine"/>.</summary>
    public Process Start(string workingDirectory, IDictionary<string, string>? environment, Action<string>? onLine, params string[] args)
    {
        var info = StartInfo("dotnet", [Dll, .. args], workingDirectory, environment);
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
