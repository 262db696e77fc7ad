using System.Text.RegularExpressions;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>The active power plan.</summary>
/// <param name="Id">Its GUID.</param>
/// <param name="Name">Its name, in the system's language.</param>
internal sealed record PowerScheme(Guid Id, string Name);

/// <summary>
/// Parses <c>powercfg /getactivescheme</c>, for example
/// <c>Power Scheme GUID: 8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c  (High performance)</c>.
/// The label is localized, so only the GUID and the name in parentheses are read.
/// </summary>
internal static partial class PowerSchemeParser
{
    /// <summary>High performance.</summary>
    public static readonly Guid HighPerformance = new("8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c");

    /// <exception cref="FormatException">The output holds no power scheme GUID.</exception>
    public static PowerScheme Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var match = SchemeLine().Match(output);
        return match.Success
            ? new PowerScheme(Guid.Parse(match.Groups["id"].Value), match.Groups["name"].Value.Trim())
            : throw new FormatException($"powercfg printed no power scheme GUID: {output.Trim()}");
    }

    [GeneratedRegex(@"(?<id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\s*(\((?<name>[^)]*)\))?", RegexOptions.CultureInvariant)]
    private static partial Regex SchemeLine();
}
