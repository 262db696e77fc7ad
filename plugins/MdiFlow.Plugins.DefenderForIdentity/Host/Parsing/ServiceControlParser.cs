using System.Globalization;
using System.Text.RegularExpressions;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>A service as <c>sc.exe query</c> and <c>sc.exe qc</c> show it.</summary>
/// <param name="Name">SERVICE_NAME.</param>
/// <param name="State">The STATE code: 1 stopped, 2 start pending, 3 stop pending, 4 running, ...</param>
/// <param name="StateName">The STATE name, for example RUNNING.</param>
internal sealed record ServiceStatus(string Name, int State, string StateName)
{
    public bool Running => State == 4;
}

/// <summary>A service's configuration as <c>sc.exe qc</c> shows it.</summary>
/// <param name="Name">SERVICE_NAME.</param>
/// <param name="BinaryPath">BINARY_PATH_NAME without its quotes and arguments.</param>
/// <param name="StartName">SERVICE_START_NAME: the account, for example <c>NT AUTHORITY\LocalService</c> or <c>LocalSystem</c>.</param>
internal sealed record ServiceConfiguration(string Name, string BinaryPath, string StartName);

/// <summary>
/// Parses <c>sc.exe query NAME</c> and <c>sc.exe qc NAME</c>. Their field names are not localized;
/// a service that does not exist is reported as error 1060.
/// </summary>
internal static partial class ServiceControlParser
{
    /// <summary>sc.exe's error for a service that is not installed.</summary>
    public const int ServiceDoesNotExist = 1060;

    /// <summary>The service's status, or null when sc.exe reports error 1060 (not installed).</summary>
    /// <exception cref="FormatException">The output is neither a status nor error 1060.</exception>
    public static ServiceStatus? ParseQuery(string output)
    {
        if (IsMissing(output))
        {
            return null;
        }

        var fields = Fields(output);
        var state = StateField().Match(fields.GetValueOrDefault("STATE") ?? "");
        return fields.TryGetValue("SERVICE_NAME", out var name) && state.Success
            ? new ServiceStatus(name, int.Parse(state.Groups["code"].Value, CultureInfo.InvariantCulture), state.Groups["name"].Value)
            : throw new FormatException($"sc.exe query printed no SERVICE_NAME and STATE: {output.Trim()}");
    }

    /// <summary>The service's configuration, or null when sc.exe reports error 1060 (not installed).</summary>
    /// <exception cref="FormatException">The output is neither a configuration nor error 1060.</exception>
    public static ServiceConfiguration? ParseConfiguration(string output)
    {
        if (IsMissing(output))
        {
            return null;
        }

        var fields = Fields(output);
        return fields.TryGetValue("SERVICE_NAME", out var name) && fields.TryGetValue("SERVICE_START_NAME", out var account)
            ? new ServiceConfiguration(name, Executable(fields.GetValueOrDefault("BINARY_PATH_NAME") ?? ""), account)
            : throw new FormatException($"sc.exe qc printed no SERVICE_NAME and SERVICE_START_NAME: {output.Trim()}");
    }

    private static bool IsMissing(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Contains(" FAILED 1060", StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Fields(string output)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            var match = FieldLine().Match(line);
            if (match.Success)
            {
                fields.TryAdd(match.Groups["key"].Value, match.Groups["value"].Value.Trim());
            }
        }

        return fields;
    }

    /// <summary>The program of a command line: the quoted part, or everything up to the first space after ".exe".</summary>
    private static string Executable(string commandLine)
    {
        if (commandLine.StartsWith('"'))
        {
            var end = commandLine.IndexOf('"', 1);
            return end > 0 ? commandLine[1..end] : commandLine.Trim('"');
        }

        var exe = commandLine.IndexOf(".exe", StringComparison.OrdinalIgnoreCase);
        return exe > 0 ? commandLine[..(exe + 4)] : commandLine;
    }

    [GeneratedRegex(@"^\s*(?<key>[A-Z_0-9]+)\s*:\s?(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"^(?<code>\d+)\s+(?<name>[A-Z_]+)", RegexOptions.CultureInvariant)]
    private static partial Regex StateField();
}
