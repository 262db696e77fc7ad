using System.IO.Compression;
using System.Security.Cryptography;
using MdiFlow.Activities;
using MdiFlow.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.Standard.Zip;

/// <summary>
/// <c>zip.extract</c>: copies the archive once into a private folder while hashing it, checks the copy's hash and
/// entries, extracts the copy beside the destination, then renames the result into place, so the destination either
/// does not exist or is complete, and what was hashed is what was extracted.
/// </summary>
/// <remarks>
/// In a rehearsal the destination is re-rooted under the rehearsal's sandbox folder: a rehearsed extraction never
/// writes elsewhere on the host.
/// </remarks>
[Activity("zip.extract", Description = "Extracts a zip archive safely into a new folder (hashing and extracting the same bytes).", Recovery = RecoveryMode.Idempotent, Rehearsal = RehearsalMode.Double)]
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
        var destination = Confined(Path.TrimEndingDirectorySeparator(Path.GetFullPath(input.Destination)), context);
        if (Path.GetDirectoryName(destination) is not { } parent)
        {
            return InvalidInput.Fail(context, $"'destination' is '{destination}', the root of a drive or file system; give a folder below it.");
        }

        StagedArchive staged;
        try
        {
            staged = await StagedArchive.CreateAsync(archivePath, context.CancellationToken).ConfigureAwait(false);
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
            return ActivityResult.Fail(new ActivityError("zip.unreadable", $"The archive '{archivePath}' of step '{context.StepId}' cannot be read or copied to a private folder: {ex.Message.TrimEnd('.')}.", Permanent: ex is not IOException)
            {
                Fix = "Give the account that runs MdiFlow read access to the archive and room in its temp folder; if another program holds the archive open, wait and retry the step.",
            });
        }

        using (staged)
        {
            if (input.Sha256 is { } expected && !expected.Trim().Equals(staged.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return ActivityResult.Fail(new ActivityError(
                    "zip.hashMismatch",
                    $"The archive '{archivePath}' has the SHA-256 {staged.Sha256}, but step '{context.StepId}' expects {expected.Trim()}. It is not the file the workflow was written for, or it was damaged in transit. The destination was left untouched.",
                    Permanent: true)
                {
                    Fix = "Get the archive again from its publisher; if the new version is intended, update 'sha256' in the workflow.",
                    Details = new Dictionary<string, string> { ["actual"] = staged.Sha256, ["expected"] = expected.Trim() },
                });
            }

            try
            {
                return await ExtractAsync(archivePath, staged, destination, context).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return ActivityResult.Fail(new ActivityError(
                    "zip.writeFailed",
                    $"Step '{context.StepId}' could not extract '{archivePath}' into '{destination}': {ex.Message.TrimEnd('.')}. The destination was left untouched.",
                    Permanent: ex is not IOException)
                {
                    Fix = "Check that the MdiFlow account may create folders in '" + parent + "' and that the disk has room, then retry the step.",
                });
            }
        }
    }

    /// <summary>In a rehearsal, the destination under the rehearsal's sandbox (kept as it is when already inside it).</summary>
    private static string Confined(string destination, ActivityContext context)
    {
        if (context.Rehearsal?.SandboxDirectory is not { } sandbox)
        {
            return destination;
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(sandbox));
        if (destination.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return destination;
        }

        var relative = destination[Path.GetPathRoot(destination)!.Length..].Replace(':', '_');
        return Path.Join(root, "rooted", relative);
    }

    private async Task<ActivityResult> ExtractAsync(string archivePath, StagedArchive staged, string destination, ActivityContext context)
    {
        var cancellationToken = context.CancellationToken;
        var file = new FileStream(staged.Copy, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
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
                    $"The file '{archivePath}' is not a readable zip archive: {ex.Message.TrimEnd('.')}. The destination was left untouched.",
                    Permanent: true)
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

                var files = plan.Count(p => !p.IsDirectory);
                var state = ZipDestination.Inspect(destination, plan, context.IsRecovery);
                switch (state.Kind)
                {
                    case DestinationKind.SameContent:
                        Log.AlreadyExtracted(context.Logger, destination);
                        return Complete(new ZipExtractOutput { Directory = destination, Files = files });
                    case DestinationKind.Other:
                        return DestinationExists(context, destination, state);
                }

                // Extracted beside the destination into a folder only this account may open, then renamed into place.
                var parent = Path.GetDirectoryName(destination)!;
                var name = Path.GetFileName(destination);
                Directory.CreateDirectory(parent);
                RemoveStalePartials(parent, name, context.Logger);
                var partial = PrivateFile.CreateDirectory(Path.Join(parent, $".{name}.partial-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}")).FullName;
                try
                {
                    if (await ZipExtraction.ExtractAsync(plan, partial, archivePath, _options, cancellationToken).ConfigureAwait(false) is { } failure)
                    {
                        return ActivityResult.Fail(failure);
                    }

                    return MoveIntoPlace(partial, destination, files, state.Kind == DestinationKind.Empty, context);
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

    private static ActivityResult MoveIntoPlace(string partial, string destination, int files, bool replaceEmpty, ActivityContext context)
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
            // Something else created the destination meanwhile.
            return DestinationExists(context, destination, new DestinationState(DestinationKind.Other, "was created by something else while the archive was extracted"));
        }

        return Complete(new ZipExtractOutput { Directory = destination, Files = files });
    }

    private static ActivityResult DestinationExists(ActivityContext context, string destination, DestinationState state) =>
        ActivityResult.Fail(new ActivityError(
            "zip.destinationExists",
            $"The destination '{destination}' of step '{context.StepId}' already exists and {state.What}; extracting over it could mix foreign files with the package. Nothing was changed.",
            Permanent: true)
        {
            Fix = "Choose a new or empty folder for 'destination', or remove the existing one if its content is no longer needed, then retry the step.",
        });

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

        [LoggerMessage(Level = LogLevel.Information, Message = "{Destination} already holds exactly this archive's content, extracted by the interrupted attempt; nothing to extract")]
        public static partial void AlreadyExtracted(ILogger logger, string destination);
    }
}
