using System.Diagnostics;

namespace MdiFlow.Web.Tests.Support;

/// <summary>The real <c>mdiflow</c> program (built beside the tests), started as a child process.</summary>
internal static class MdiflowProcess
{
    public static Process Start(string workingDirectory, params string[] args) => Start(workingDirectory, new Dictionary<string, string>(), args);

    /// <param name="environment">Variables set for the child (on top of this process's, without MDIFLOW_STORE and MDIFLOW_POLICY).</param>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mdiflow.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("MDIFLOW_STORE");
        start.Environment.Remove("MDIFLOW_POLICY");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } process && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process
        : "dotnet";
}
