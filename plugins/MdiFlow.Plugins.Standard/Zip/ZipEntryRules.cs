using System.Globalization;
using System.IO.Compression;
using MdiFlow.Activities;

namespace MdiFlow.Plugins.Standard.Zip;

/// <summary>One entry to extract, with its checked path relative to the destination ('/' separated).</summary>
internal sealed record ZipPlanEntry(ZipArchiveEntry Entry, string RelativePath, bool IsDirectory);

/// <summary>The checks an archive must pass, all of them before a single byte is written.</summary>
internal static class ZipEntryRules
{
    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymbolicLink = 0xA000;

    /// <summary>Plans the extraction, or says why the whole archive is refused.</summary>
    public static ActivityError? Plan(ZipArchive archive, string archivePath, string destination, ZipExtractOptions options, out List<ZipPlanEntry> plan)
    {
        plan = [];
        var entries = archive.Entries;
        if (entries.Count > options.MaxEntries)
        {
            return Refused(
                "zip.tooManyEntries",
                $"The archive '{archivePath}' holds {entries.Count:N0} entries, more than the limit of {options.MaxEntries:N0}.",
                "If the archive is trusted and really that large, raise ZipExtractOptions.MaxEntries in the host's configuration.");
        }

        var root = destination + Path.DirectorySeparatorChar;
        long total = 0;
        foreach (var entry in entries)
        {
            var relative = SafeRelativePath(entry.FullName, out var reason);
            if (relative is null || !Path.GetFullPath(Path.Join(root, relative)).StartsWith(root, StringComparison.Ordinal))
            {
                return Refused(
                    "zip.entryEscapes",
                    $"The archive '{archivePath}' holds the entry '{entry.FullName}', which would be written outside the destination ({reason ?? "it resolves outside it"}).",
                    Untrusted,
                    entry);
            }

            if (IsLink(entry))
            {
                return Refused(
                    "zip.link",
                    $"The archive '{archivePath}' holds the entry '{entry.FullName}', which is a symbolic link; a link could point anywhere on this host.",
                    Untrusted,
                    entry);
            }

            total += entry.Length;
            if (total > options.MaxTotalBytes)
            {
                return TooLarge(archivePath, options);
            }

            if (RatioExceeds(entry.Length, entry.CompressedLength, options))
            {
                return Ratio(archivePath, entry, entry.Length, options);
            }

            var isDirectory = entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\');
            if (relative.Length > 0)
            {
                plan.Add(new ZipPlanEntry(entry, relative, isDirectory));
            }
        }

        return null;
    }

    /// <summary>
    /// The entry's path relative to the destination with '/' separators, or null when it could land
    /// outside it. Backslashes count as separators: archives made on Windows use them, and so do attacks.
    /// </summary>
    public static string? SafeRelativePath(string fullName, out string? reason)
    {
        reason = null;
        if (fullName.Length == 0 || fullName.Contains('\0', StringComparison.Ordinal))
        {
            reason = "its name is empty or holds a NUL character";
            return null;
        }

        var name = fullName.Replace('\\', '/');
        if (name[0] == '/')
        {
            reason = "it is an absolute or network (UNC) path";
            return null;
        }

        if (name.Contains(':', StringComparison.Ordinal))
        {
            reason = "it names a drive or an NTFS stream";
            return null;
        }

        var kept = new List<string>();
        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            // Windows drops trailing dots and spaces, so "..." or ".. " can act like "..".
            if (segment.TrimEnd('.', ' ').Length == 0)
            {
                reason = "it climbs to a parent folder";
                return null;
            }

            kept.Add(segment);
        }

        if (kept.Count == 0 && !name.EndsWith('/'))
        {
            reason = "it does not name a file";
            return null;
        }

        return string.Join('/', kept);
    }

    public static bool IsLink(ZipArchiveEntry entry) => ((entry.ExternalAttributes >> 16) & UnixFileTypeMask) == UnixSymbolicLink;

    public static bool RatioExceeds(long uncompressed, long compressed, ZipExtractOptions options) =>
        uncompressed >= options.MinimumSizeForRatioCheck
        && (compressed <= 0 || (double)uncompressed / compressed > options.MaxCompressionRatio);

    public static ActivityError TooLarge(string archivePath, ZipExtractOptions options) =>
        Refused(
            "zip.tooLarge",
            $"The archive '{archivePath}' expands to more than the limit of {Bytes(options.MaxTotalBytes)}.",
            "If the archive is trusted and really that large, raise ZipExtractOptions.MaxTotalBytes in the host's configuration.");

    public static ActivityError Ratio(string archivePath, ZipArchiveEntry entry, long uncompressed, ZipExtractOptions options) =>
        Refused(
            "zip.ratio",
            $"The entry '{entry.FullName}' of the archive '{archivePath}' expands {Factor(uncompressed, entry.CompressedLength)} ({Bytes(uncompressed)} from {Bytes(entry.CompressedLength)}), more than the limit of {options.MaxCompressionRatio.ToString("0.#", CultureInfo.InvariantCulture)}-fold; archives built like this are zip bombs.",
            "Do not use this archive unless you know why it compresses so well; then raise ZipExtractOptions.MaxCompressionRatio in the host's configuration.",
            entry);

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB ({bytes:N0} bytes)"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB ({bytes:N0} bytes)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes"),
    };

    private const string Untrusted = "Do not use this archive: a correctly built package never holds such entries. Get it again from its publisher.";

    private static string Factor(long uncompressed, long compressed) =>
        compressed <= 0 ? "from nothing" : string.Create(CultureInfo.InvariantCulture, $"{uncompressed / (double)compressed:0}-fold");

    private static ActivityError Refused(string code, string problem, string fix, ZipArchiveEntry? entry = null) =>
        new(code, problem + " The destination was left untouched.", Permanent: true)
        {
            Fix = fix,
            Details = entry is null ? null : new Dictionary<string, string> { ["entry"] = entry.FullName },
        };
}
