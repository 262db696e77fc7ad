using System.Buffers;
using System.IO.Compression;
using MdiFlow.Activities;

namespace MdiFlow.Plugins.Standard.Zip;

/// <summary>Writes a checked plan into a folder, counting every byte rather than trusting the sizes the archive declares.</summary>
internal static class ZipExtraction
{
    public static async Task<ActivityError?> ExtractAsync(
        IReadOnlyList<ZipPlanEntry> plan, string root, string archivePath, ZipExtractOptions options, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long total = 0;
            foreach (var item in plan)
            {
                var target = Path.Join(root, item.RelativePath.Replace('/', Path.DirectorySeparatorChar));
                if (!TryCreateFolder(item.IsDirectory ? target : Path.GetDirectoryName(target)!))
                {
                    return Corrupt(archivePath, item.Entry, "its folder clashes with a file another entry wrote");
                }

                if (item.IsDirectory)
                {
                    continue;
                }

                var (written, error) = await ExtractEntryAsync(item.Entry, target, archivePath, total, buffer, options, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    return error;
                }

                total += written;
                ApplyMetadata(item.Entry, target);
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<(long Written, ActivityError? Error)> ExtractEntryAsync(
        ZipArchiveEntry entry, string target, string archivePath, long totalBefore, byte[] buffer, ZipExtractOptions options, CancellationToken cancellationToken)
    {
        Stream source;
        try
        {
            source = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
        {
            return (0, Corrupt(archivePath, entry, ex.Message));
        }

        await using (source.ConfigureAwait(false))
        {
            FileStream output;
            try
            {
                output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            }
            catch (IOException) when (File.Exists(target) || Directory.Exists(target))
            {
                return (0, Corrupt(archivePath, entry, "another entry already wrote a file or folder at the same path"));
            }

            await using (output.ConfigureAwait(false))
            {
                long written = 0;
                uint crc = 0;
                while (true)
                {
                    int read;
                    try
                    {
                        read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                    }
                    catch (InvalidDataException ex)
                    {
                        return (written, Corrupt(archivePath, entry, ex.Message));
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    written += read;
                    if (totalBefore + written > options.MaxTotalBytes)
                    {
                        return (written, ZipEntryRules.TooLarge(archivePath, options));
                    }

                    if (ZipEntryRules.RatioExceeds(written, entry.CompressedLength, options))
                    {
                        return (written, ZipEntryRules.Ratio(archivePath, entry, written, options));
                    }

                    crc = Crc32.Append(crc, buffer.AsSpan(0, read));
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                if (written != entry.Length || crc != entry.Crc32)
                {
                    return (written, Corrupt(archivePath, entry, "its data does not match the size and checksum the archive records for it"));
                }

                return (written, null);
            }
        }
    }

    private static bool TryCreateFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            return true;
        }
        catch (IOException) when (!Directory.Exists(folder))
        {
            return false;
        }
    }

    private static void ApplyMetadata(ZipArchiveEntry entry, string target)
    {
        try
        {
            File.SetLastWriteTimeUtc(target, entry.LastWriteTime.UtcDateTime);
        }
        catch (ArgumentOutOfRangeException)
        {
            // A timestamp the file system cannot hold; the current time stays.
        }

        // Keep the permission bits archives made on Unix record (an install script stays executable),
        // but never set-user-id, set-group-id or sticky, and never write access for group or others.
        var mode = (entry.ExternalAttributes >> 16) & 0b111_101_101;
        if (!OperatingSystem.IsWindows() && mode != 0)
        {
            File.SetUnixFileMode(target, (UnixFileMode)mode | UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public static ActivityError Corrupt(string archivePath, ZipArchiveEntry entry, string problem) =>
        new("zip.corrupt", $"The entry '{entry.FullName}' of the archive '{archivePath}' cannot be extracted: {problem.TrimEnd('.')}. The destination was left untouched.", Permanent: true)
        {
            Fix = "The archive is damaged or was not built by a standard zip tool: get it again from its publisher and compare its SHA-256.",
            Details = new Dictionary<string, string> { ["entry"] = entry.FullName },
        };
}
