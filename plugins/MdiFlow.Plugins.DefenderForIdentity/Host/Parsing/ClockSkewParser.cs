using System.Globalization;
using System.Text.RegularExpressions;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>
/// Parses <c>w32tm /stripchart /computer:DOMAIN /samples:N /dataonly</c>: the last sample's offset,
/// for example <c>10:15:32, -302.1234567s</c> (or <c>o:-302.1234567s</c> without /dataonly).
/// The surrounding text is localized; the sample lines are not.
/// </summary>
internal static partial class ClockSkewParser
{
    /// <summary>The absolute offset of the last sample that has one, or null when every sample failed.</summary>
    /// <exception cref="FormatException">The output holds no sample line at all.</exception>
    public static TimeSpan? Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        TimeSpan? last = null;
        var samples = 0;
        foreach (var line in output.Split('\n'))
        {
            if (!SampleLine().IsMatch(line))
            {
                continue;
            }

            samples++;
            var offset = Offset().Match(line);
            if (offset.Success)
            {
                var seconds = double.Parse(offset.Groups["seconds"].Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture);
                last = TimeSpan.FromSeconds(Math.Abs(seconds));
            }
        }

        return samples > 0 ? last : throw new FormatException($"w32tm printed no samples: {output.Trim()}");
    }

    [GeneratedRegex(@"^\s*\d{1,2}:\d{2}:\d{2}\s*[,d]", RegexOptions.CultureInvariant)]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?:^\s*\d{1,2}:\d{2}:\d{2},\s*|\so:)(?<seconds>[+-]\d+[.,]\d+)s", RegexOptions.CultureInvariant)]
    private static partial Regex Offset();
}
