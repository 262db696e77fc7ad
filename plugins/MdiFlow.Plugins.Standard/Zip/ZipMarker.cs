using System.Globalization;

namespace MdiFlow.Plugins.Standard.Zip;

/// <summary>What the destination of an extraction holds already.</summary>
internal enum DestinationKind
{
    /// <summary>Nothing: extract.</summary>
    Absent,

    /// <summary>An empty folder: extract and put the result in its place.</summary>
    Empty,

    /// <summary>A completed extraction of the same archive: nothing to do.</summary>
    SameArchive,

    /// <summary>Anything else: refuse.</summary>
    Other,
}

/// <summary>The state of a destination, from its completion marker.</summary>
internal readonly record struct DestinationState(DestinationKind Kind, int Files = 0, string? MarkerSha256 = null);

/// <summary>
/// The marker file written into the temporary folder just before it is moved into place: its
/// presence proves the extraction completed, and its content names the archive (SHA-256) and file count.
/// </summary>
internal static class ZipMarker
{
    public static async Task WriteAsync(string folder, string sha256, int files, CancellationToken cancellationToken)
    {
        var path = Path.Join(folder, ZipEntryRules.Marker);
        await File.WriteAllTextAsync(path, string.Create(CultureInfo.InvariantCulture, $"{sha256}\n{files}\n"), cancellationToken).ConfigureAwait(false);
    }

    public static DestinationState Inspect(string destination, string sha256)
    {
        if (File.Exists(destination))
        {
            return new DestinationState(DestinationKind.Other);
        }

        if (!Directory.Exists(destination))
        {
            return new DestinationState(DestinationKind.Absent);
        }

        var marker = Path.Join(destination, ZipEntryRules.Marker);
        if (File.Exists(marker))
        {
            var lines = File.ReadAllLines(marker);
            var recorded = lines.Length > 0 ? lines[0].Trim() : "";
            if (lines.Length > 1
                && recorded.Equals(sha256, StringComparison.OrdinalIgnoreCase)
                && int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var files))
            {
                return new DestinationState(DestinationKind.SameArchive, files, recorded);
            }

            return new DestinationState(DestinationKind.Other, MarkerSha256: recorded);
        }

        return Directory.EnumerateFileSystemEntries(destination).Any()
            ? new DestinationState(DestinationKind.Other)
            : new DestinationState(DestinationKind.Empty);
    }
}
