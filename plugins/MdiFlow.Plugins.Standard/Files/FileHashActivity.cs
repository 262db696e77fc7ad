using MdiFlow.Activities;

namespace MdiFlow.Plugins.Standard.Files;

/// <summary><c>file.hash</c>: the SHA-256 and size of one file.</summary>
[Activity("file.hash", Description = "Computes the SHA-256 and size of a file.", Recovery = RecoveryMode.Idempotent, Rehearsal = RehearsalMode.Harmless)]
internal sealed class FileHashActivity : Activity<FileHashInput, FileHashOutput>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(FileHashInput input, ActivityContext context)
    {
        if (string.IsNullOrWhiteSpace(input.Path))
        {
            return InvalidInput.Fail(context, "'path' is empty; give the path of the file to hash.");
        }

        var path = Path.GetFullPath(input.Path);
        if (Directory.Exists(path))
        {
            return NotFound(context, path, "is a folder, not a file");
        }

        try
        {
            var (sha256, size) = await FileSha256.ComputeAsync(path, context.CancellationToken).ConfigureAwait(false);
            return Complete(new FileHashOutput { Sha256 = sha256, Size = size });
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return NotFound(context, path, "does not exist");
        }
        catch (UnauthorizedAccessException)
        {
            return ActivityResult.Fail(new ActivityError("file.unreadable", $"The file '{path}' (step '{context.StepId}') cannot be read: access is denied.", Permanent: true)
            {
                Fix = "Give the account that runs MdiFlow read access to the file, or copy it somewhere it can read.",
            });
        }
        catch (IOException ex)
        {
            return ActivityResult.Fail(new ActivityError("file.unreadable", $"The file '{path}' (step '{context.StepId}') cannot be read: {ex.Message}")
            {
                Fix = "If another program holds the file open, wait for it to finish and retry the step.",
            });
        }
    }

    private static ActivityResult NotFound(ActivityContext context, string path, string what) =>
        ActivityResult.Fail(new ActivityError("file.notFound", $"The path '{path}' given to step '{context.StepId}' {what}.")
        {
            Fix = "Check the path in the workflow's inputs; copy the file to that place first if it is missing.",
        });
}
