using System.IO.Compression;
using System.Security.Cryptography;
using MdiFlow.Activities;
using MdiFlow.Plugins.Standard.Files;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.Standard.Zip;

/// <summary>
/// <c>zip.extract</c>: checks the whole archive first, extracts it into a hidden sibling folder,
/// then renames that folder into place, so the destination either does not exist or is complete.
/// </summary>
[Activity("zip.extract", Description = "Extracts a zip archive safely into a new folder.", Recovery = RecoveryMode.Idempotent, Rehearsal = RehearsalMode.Double)]
internal sealed partial class ZipExtractActivity(IOptions<ZipExtractOptions> options) : Activity<ZipExtractInput, ZipExtractOutput>
{
    private readonly ZipExtractOptions _options = options.Value;

    protected override async ValueTask<ActivityResult> ExecuteAsync(ZipExtractInput input, ActivityContext context)
    {
        if (string.IsNullOrWhiteSpace(input.Archive))
        {
            return InvalidInput.Fail(context, "'archive' is empty; give the path of the zip file.");
        }

        if (string.IsNullOrWhiteSpace(input.Destination))
        {
            return InvalidInput.Fail(context, "'destination' is empty; give the folder to extract into.");
        }

        var archivePath = Path.GetFullPath(input.Archive);
        var destination = Path.TrimEndingDirectorySeparator(Path.GetFullPath(input.Destination));
        if (Path.GetDirectoryName(destination) is not { } parent)
        {
            return InvalidInput.Fail(context, $"'destination' is '{destination}', the root of a drive or file system; give a folder below it.");
        }

        var cancellationToken = context.CancellationToken;
        string sha256;
        try
        {
            (sha256, _) = await FileSha256.ComputeAsync(archivePath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException || Directory.Exists(archivePath))
        {
            return ActivityResult.Fail(new ActivityError("zip.notFound", $"The archive '{archivePath}' of step '{context.StepId}' does not exist or is not a file.")
            {
                Fix = "Copy the zip file to that place first (and record its SHA-256 with file.hash), or correct 'archive'.",
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ActivityResult.Fail(new ActivityError("zip.unreadable", $"The archive '{archivePath}' of step '{context.StepId}' cannot be read: {ex.Message.TrimEnd('.')}.", Retryable: ex is IOException)
            {
                Fix = "Give the account that runs MdiFlow read access to the archive; if another program holds it open, wait and retry the step.",
            });
        }

        if (input.Sha256 is { } expected && !expected.Trim().Equals(sha256, StringComparison.OrdinalIgnoreCase))
        {
            return ActivityResult.Fail(new ActivityError(
                "zip.hashMismatch",
                $"The archive '{archivePath}' has the SHA-256 {sha256}, but step '{context.StepId}' expects {expected.Trim()}. It is not the file the workflow was written for, or it was damaged in transit. The destination was left untouched.")
            {
                Fix = "Get the archive again from its publisher; if the new version is intended, update 'sha256' in the workflow.",
                Details = new Dictionary<string, string> { ["actual"] = sha256, ["expected"] = expected.Trim() },
            });
        }

        try
        {
            var state = ZipMarker.Inspect(destination, sha256);
            switch (state.Kind)
            {
                case DestinationKind.SameArchive:
                    Log.AlreadyExtracted(context.Logger, destination);
                    return Complete(new ZipExtractOutput { Directory = destination, Files = state.Files });
                case DestinationKind.Other:
                    return DestinationExists(context, destination, state);
            }

            return await ExtractAsync(archivePath, sha256, destination, parent, state.Kind == DestinationKind.Empty, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ActivityResult.Fail(new ActivityError(
                "zip.writeFailed",
                $"Step '{context.StepId}' could not extract '{archivePath}' into '{destination}': {ex.Message.TrimEnd('.')}. The destination was left untouched.",
                Retryable: ex is IOException)
            {
                Fix = "Check that the MdiFlow account may create folders in '" + parent + "' and that the disk has room, then retry the step.",
            });
        }
    }

    private async Task<ActivityResult> ExtractAsync(string archivePath, string sha256, string destination, string parent, bool replaceEmpty, ActivityContext context)
    {
        var cancellationToken = context.CancellationToken;
        var name = Path.GetFileName(destination);
        var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            ZipArchive archive;
            try
            {
                archive = await ZipArchive.CreateAsync(file, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                return ActivityResult.Fail(new ActivityError(
                    "zip.corrupt",
                    $"The file '{archivePath}' is not a readable zip archive: {ex.Message.TrimEnd('.')}. The destination was left untouched.")
                {
                    Fix = "Get the archive again from its publisher and compare its SHA-256; a truncated download looks like this.",
                });
            }

            await using (archive.ConfigureAwait(false))
            {
                if (ZipEntryRules.Plan(archive, archivePath, destination, _options, out var plan) is { } refusal)
                {
                    return ActivityResult.Fail(refusal);
                }

                Directory.CreateDirectory(parent);
                RemoveStalePartials(parent, name, context.Logger);
                var partial = Path.Join(parent, $".{name}.partial-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");
                Directory.CreateDirectory(partial);
                try
                {
                    if (await ZipExtraction.ExtractAsync(plan, partial, archivePath, _options, cancellationToken).ConfigureAwait(false) is { } failure)
                    {
                        return ActivityResult.Fail(failure);
                    }

                    var files = plan.Count(p => !p.IsDirectory);
                    await ZipMarker.WriteAsync(partial, sha256, files, cancellationToken).ConfigureAwait(false);
                    return MoveIntoPlace(partial, destination, sha256, files, replaceEmpty, context);
                }
                finally
                {
                    // Gone after a successful move; otherwise nothing half-done may stay behind.
                    if (Directory.Exists(partial))
                    {
                        Directory.Delete(partial, recursive: true);
                    }
                }
            }
        }
    }

    private static ActivityResult MoveIntoPlace(string partial, string destination, string sha256, int files, bool replaceEmpty, ActivityContext context)
    {
        try
        {
            if (replaceEmpty)
            {
                Directory.Delete(destination);
            }

            // A rename within one folder: the destination appears complete, or not at all.
            Directory.Move(partial, destination);
        }
        catch (IOException)
        {
            // Something else created the destination meanwhile: fine if it is the same extraction.
            var now = ZipMarker.Inspect(destination, sha256);
            if (now.Kind != DestinationKind.SameArchive)
            {
                return DestinationExists(context, destination, now);
            }
        }

        return Complete(new ZipExtractOutput { Directory = destination, Files = files });
    }

    private static ActivityResult DestinationExists(ActivityContext context, string destination, DestinationState state)
    {
        var what = state.MarkerSha256 is { } other
            ? $"holds an extraction of a different archive (SHA-256 {other})"
            : File.Exists(destination) ? "is a file" : "holds other content";
        return ActivityResult.Fail(new ActivityError(
            "zip.destinationExists",
            $"The destination '{destination}' of step '{context.StepId}' already exists and {what}; extracting over it could mix two versions. Nothing was changed.")
        {
            Fix = "Choose a new or empty folder for 'destination', or remove the existing one if its content is no longer needed, then retry the step.",
        });
    }

    /// <summary>Removes temporary folders left by attempts that died mid-extraction.</summary>
    private static void RemoveStalePartials(string parent, string name, ILogger logger)
    {
        var prefix = $".{name}.partial-";
        foreach (var folder in Directory.EnumerateDirectories(parent))
        {
            if (Path.GetFileName(folder).StartsWith(prefix, StringComparison.Ordinal))
            {
                Directory.Delete(folder, recursive: true);
                Log.RemovedPartial(logger, folder);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Folder}, left by an interrupted extraction")]
        public static partial void RemovedPartial(ILogger logger, string folder);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Destination} already holds this archive's content; nothing to extract")]
        public static partial void AlreadyExtracted(ILogger logger, string destination);
    }
}
