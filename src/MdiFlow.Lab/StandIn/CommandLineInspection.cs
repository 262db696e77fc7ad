namespace MdiFlow.Lab.StandIn;

/// <summary>
/// What another user of the server could read about this process: its command line (as the operating system
/// shows it) and, less exposed, its environment. The stand-in uses it to prove the key never got there.
/// </summary>
internal static class CommandLineInspection
{
    /// <summary>Every form of this process's command line: the arguments given, the runtime's view, and /proc on Linux.</summary>
    public static IReadOnlyList<string> OwnCommandLine(IEnumerable<string> arguments)
    {
        var lines = new List<string>(arguments) { Environment.CommandLine };
        lines.AddRange(Environment.GetCommandLineArgs());
        const string proc = "/proc/self/cmdline";
        if (File.Exists(proc))
        {
            lines.AddRange(File.ReadAllText(proc).Split('\0', StringSplitOptions.RemoveEmptyEntries));
        }

        return lines;
    }

    public static bool Holds(IEnumerable<string> texts, IEnumerable<string> secrets) =>
        texts.Any(text => secrets.Any(secret => text.Contains(secret, StringComparison.Ordinal)));

    /// <summary>The names of environment variables whose value holds a secret.</summary>
    public static IReadOnlyList<string> EnvironmentVariablesHolding(IEnumerable<string> secrets) =>
        [.. Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => e.Value is string value && Holds([value], secrets))
            .Select(e => (string)e.Key)
            .Order(StringComparer.Ordinal)];
}
