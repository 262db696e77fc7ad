using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace MdiFlow.PostgreSql.Tests.Support;

/// <summary>The <c>mdiflow</c> CLI built beside these tests, run as a real process (<c>dotnet mdiflow.dll ...</c>).</summary>
internal static class Cli
{
    public static string Dll { get; } =
        typeof(Cli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MdiFlowCli").Value!;

    /// <summary>The repository's root folder (where MdiFlow.sln is).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Runs <c>mdiflow ARGS</c> to its end, seeing <paramref name="key"/> as the host's journal key.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, SystemKey key, IDictionary<string, string>? environment, params string[] args)
    {
        string[] command = key.Wrap(["dotnet", Dll, .. args]);
        var info = new ProcessStartInfo(command[0]) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["MDIFLOW_STORE"] = "";
        info.Environment["MDIFLOW_POLICY"] = "";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MdiFlow.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MdiFlow.sln was not found above the test folder.");
    }
}
