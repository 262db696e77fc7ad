using MdiFlow.Security;

namespace MdiFlow.Plugins.Standard.Zip;

/// <summary>What the destination of an extraction holds already.</summary>
internal enum DestinationKind
{
    /// <summary>Nothing: extract.</summary>
    Absent,

    /// <summary>An empty folder: extract and put the result in its place.</summary>
    Empty,

    /// <summary>This step's own extraction, moved into place by an attempt that died before it could say so: nothing to do.</summary>
    SameContent,

    /// <summary>Anything else: refuse.</summary>
    Other,
}

/// <summary>The state of a destination, with what it holds when that is a reason to refuse it.</summary>
internal readonly record struct DestinationState(DestinationKind Kind, string What = "");

/// <summary>
/// Decides what an existing destination is. Nothing placed in it counts as a finished extraction: only when the step
/// recovers a crashed attempt, the folder is this account's own with no one else allowed to write it, and it holds
/// exactly the archive's files, byte for byte (every size and CRC-32, nothing more), is it taken as this step's own
/// work. Anything else in the way is refused, so foreign files never mix with the package.
/// </summary>
internal static class ZipDestination
{
    public static DestinationState Inspect(string destination, IReadOnlyList<ZipPlanEntry> plan, bool recovery)
    {
        if (File.Exists(destination))
        {
            return new DestinationState(DestinationKind.Other, "is a file");
        }

        if (!Directory.Exists(destination))
        {
            return new DestinationState(DestinationKind.Absent);
        }

        if (!Directory.EnumerateFileSystemEntries(destination).Any())
        {
            return new DestinationState(DestinationKind.Empty);
        }

        if (!recovery)
        {
            return new DestinationState(DestinationKind.Other, "holds other content");
        }

        var status = FileStatus.Of(destination);
        if ((status.OwnerId is { } owner && owner != FileStatus.CurrentUserId) || status.WritableByOthers)
        {
            return new DestinationState(DestinationKind.Other, "holds content this account does not solely own");
        }

        return HoldsExactly(destination, plan)
            ? new DestinationState(DestinationKind.SameContent)
            : new DestinationState(DestinationKind.Other, "holds content that is not exactly this archive's");
    }

    private static bool HoldsExactly(string destination, IReadOnlyList<ZipPlanEntry> plan)
    {
        var files = plan.Where(p => !p.IsDirectory).ToDictionary(p => p.RelativePath.Replace('/', Path.DirectorySeparatorChar), p => p.Entry, StringComparer.Ordinal);
        var present = Directory.EnumerateFiles(destination, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).ToList();
        if (present.Count != files.Count)
        {
            return false;
        }

        var buffer = new byte[1 << 16];
        foreach (var path in present)
        {
            if (!files.TryGetValue(Path.GetRelativePath(destination, path), out var entry) || new FileInfo(path).Length != entry.Length)
            {
                return false;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            uint crc = 0;
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                crc = Crc32.Append(crc, buffer.AsSpan(0, read));
            }

            if (crc != entry.Crc32)
            {
                return false;
            }
        }

        return true;
    }
}
