using MdiFlow.Testing.Platforms;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests;

/// <summary>
/// mdiflow as operators get it: the .NET tool installed with <c>dotnet tool install --global</c> from the packed tool
/// package, and the self-contained single file that needs no .NET on the host.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class InstallTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public void The_tool_package_installs_globally_in_a_fresh_dotnet_home_and_its_mdiflow_runs()
    {
        var packages = Directory.CreateDirectory(_ws.PathOf("packages")).FullName;
        var home = Directory.CreateDirectory(_ws.PathOf("home")).FullName;
        var configuration = typeof(InstallTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var pack = Run("dotnet", ["pack", Path.Combine(PublishedCli.RepositoryRoot, "src", "MdiFlow.Cli", "MdiFlow.Cli.csproj"), "-c", configuration, "--no-build", "-o", packages, "-nologo"], PublishedCli.RepositoryRoot);
        pack.ExitCode.Should().Be(0, pack.Output);
        var version = Path.GetFileNameWithoutExtension(Directory.GetFiles(packages, "mdiflow.*.nupkg").Single())["mdiflow.".Length..];
        var environment = new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = home, ["HOME"] = home, ["NUGET_PACKAGES"] = Path.Combine(home, "nuget-packages") };

        var install = Run("dotnet", ["tool", "install", "--global", "mdiflow", "--add-source", packages, "--version", version], _ws.Root, environment);

        install.ExitCode.Should().Be(0, install.Output);
        install.Output.Should().Contain($"Tool 'mdiflow' (version '{version}') was successfully installed.");
        var mdiflow = Path.Combine(home, ".dotnet", "tools", OperatingSystem.IsWindows() ? "mdiflow.exe" : "mdiflow");
        var run = Run(mdiflow, ["--version"], _ws.Root, environment);
        run.ExitCode.Should().Be(0, run.Output);
        run.Output.Trim().Should().StartWith(version);
    }

    [LinuxFact]
    public void The_self_contained_single_file_for_linux_x64_runs_the_main_jobs_first_step()
    {
        // Published from a copy of the sources, so its restore for linux-x64 never touches the build the other tests use.
        var sources = CopySources(_ws.PathOf("src-copy"));
        var output = _ws.PathOf("single");
        var publish = Run("dotnet", ["publish", Path.Combine(sources, "src", "MdiFlow.Cli", "MdiFlow.Cli.csproj"), "-c", "Release", "-r", "linux-x64", "-p:PublishReadyToRun=false", "-o", output, "-nologo"], sources);
        publish.ExitCode.Should().Be(0, publish.Output);
        Directory.GetFiles(output).Select(Path.GetFileName).Should().Equal(["mdiflow"], "one file, SQLite's native library inside");

        var run = Run(Path.Combine(output, "mdiflow"), ["run", Path.Combine(PublishedCli.RepositoryRoot, "workflows", "mdi-sensor-deployment.json"), "--lab", "--store", _ws.Store], _ws.Root, new Dictionary<string, string> { ["DOTNET_ROOT"] = "/nonexistent" });

        run.ExitCode.Should().Be(10, run.Output);
        run.Output.Should().Contain("✔ licence completed").And.Contain("waits at step 'portal' (manualTask)");
    }

    public void Dispose() => _ws.Dispose();

    private static string CopySources(string target)
    {
        var root = PublishedCli.RepositoryRoot;
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "nuget.config", "BannedSymbols.txt", "README.md", "LICENSE" })
        {
            Directory.CreateDirectory(target);
            File.Copy(Path.Combine(root, file), Path.Combine(target, file));
        }

        foreach (var folder in new[] { "src", "plugins", "workflows" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
                File.Copy(file, Path.Combine(target, relative));
            }
        }

        return target;
    }

    private static (int ExitCode, string Output) Run(string file, string[] args, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Remove("MDIFLOW_STORE");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = new Process { StartInfo = info };
        var text = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (text) { text.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (text) { text.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {string.Join(' ', args)}' did not finish in 8 minutes.\n{text}");
        }

        process.WaitForExit();
        return (process.ExitCode, text.ToString());
    }
}
