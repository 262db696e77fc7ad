using System.ComponentModel;
using System.Globalization;
using MdiFlow.Activities;
using MdiFlow.Processes;

namespace MdiFlow.Plugins.Standard.Processes;

/// <summary><c>process.run</c>: starts a program, waits for it, and checks its exit code.</summary>
/// <remarks>
/// The child sees <c>MDIFLOW_INSTANCE_ID</c>, <c>MDIFLOW_STEP</c>, <c>MDIFLOW_ATTEMPT</c> and
/// <c>MDIFLOW_RECOVERY</c> (<c>true</c> when an earlier attempt died mid-way), so a script can
/// check what an interrupted run already did before acting again.
/// </remarks>
[Activity("process.run", Description = "Runs a program with arguments and checks its exit code.", Recovery = RecoveryMode.CheckFirst)]
internal sealed class ProcessRunActivity : Activity<ProcessRunInput, ProcessRunOutput>
{
    internal const int TailCharacters = 4096;

    private readonly Func<bool> _isElevated;

    /// <summary>Creates the activity with the real elevation check.</summary>
    public ProcessRunActivity()
        : this(Elevation.IsElevated)
    {
    }

    /// <summary>Creates the activity with a given elevation check (tests run as root or not, whatever the machine).</summary>
    internal ProcessRunActivity(Func<bool> isElevated) => _isElevated = isElevated;

    protected override async ValueTask<ActivityResult> ExecuteAsync(ProcessRunInput input, ActivityContext context)
    {
        if (Check(input, context, out var timeout) is { } problem)
        {
            return problem;
        }

        var environment = new Dictionary<string, string>(input.Environment ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["MDIFLOW_INSTANCE_ID"] = context.InstanceId.Value,
            ["MDIFLOW_STEP"] = context.StepId,
            ["MDIFLOW_ATTEMPT"] = context.Attempt.ToString(CultureInfo.InvariantCulture),
            ["MDIFLOW_RECOVERY"] = context.IsRecovery ? "true" : "false",
        };
        ProcessOutcome outcome;
        try
        {
            outcome = await ProcessLauncher.RunAsync(
                new ProcessLaunch
                {
                    File = ResolveFile(input),
                    Arguments = input.Arguments,
                    WorkingDirectory = input.WorkingDirectory,
                    Environment = environment,
                    Stdin = input.Stdin,
                    Timeout = timeout,
                    KeepCharacters = TailCharacters,
                    Time = context.Time,
                },
                context.CancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            return StartFailed(input, context, ex);
        }

        if (outcome.TimedOut)
        {
            return ActivityResult.Fail(new ActivityError(
                "process.timedOut",
                $"'{input.File}' (step '{context.StepId}') was still running after its timeout of {input.Timeout}; it and every process it started were killed.")
            {
                Fix = "If the program is merely slow, raise 'timeout'; otherwise read the output tails in the details to see where it hung.",
                Details = Tails(outcome),
            });
        }

        var exitCode = outcome.ExitCode;
        if (!input.SuccessExitCodes.Contains(exitCode))
        {
            var details = Tails(outcome);
            details["exitCode"] = exitCode.ToString(CultureInfo.InvariantCulture);
            return ExitCodeFailure(input, context, exitCode, details);
        }

        return Complete(new ProcessRunOutput { ExitCode = exitCode, StdoutTail = outcome.Output, StderrTail = outcome.Error });
    }

    /// <summary>A failing exit code: retryable, unless <c>retryableExitCodes</c> is given and does not list it.</summary>
    private static ActivityResult ExitCodeFailure(ProcessRunInput input, ActivityContext context, int exitCode, Dictionary<string, string> details)
    {
        var permanent = input.RetryableExitCodes is { } retryable && !retryable.Contains(exitCode);
        var message = $"'{input.File}' (step '{context.StepId}') exited with code {exitCode}; the step counts only {string.Join(", ", input.SuccessExitCodes)} as success.";
        return ActivityResult.Fail(new ActivityError(
            "process.exitCode",
            permanent ? $"{message} Its retryableExitCodes ({string.Join(", ", input.RetryableExitCodes!)}) do not list {exitCode}, so no retry follows." : message,
            Permanent: permanent)
        {
            Fix = "Read stderrTail in the details for the program's own explanation and fix the cause, or add the code to 'successExitCodes' if it also means success.",
            Details = details,
        });
    }

    private ActivityResult? Check(ProcessRunInput input, ActivityContext context, out TimeSpan? timeout)
    {
        if (!InvalidInput.TryDuration(context, "timeout", input.Timeout, null, out timeout, out var failure))
        {
            return failure;
        }

        if (string.IsNullOrWhiteSpace(input.File))
        {
            return InvalidInput.Fail(context, "'file' is empty; give the program to run.");
        }

        if (input.Environment?.Keys.FirstOrDefault(k => k.Length == 0 || k.Contains('=', StringComparison.Ordinal) || k.StartsWith("MDIFLOW_", StringComparison.OrdinalIgnoreCase)) is { } badName)
        {
            return InvalidInput.Fail(context, $"'environment' has a variable named '{badName}'; names must not be empty, hold '=' or start with MDIFLOW_ (those the engine sets).");
        }

        if (input.SuccessExitCodes.Count == 0)
        {
            return InvalidInput.Fail(context, "'successExitCodes' is an empty list, so no exit code could succeed; list the codes that mean success, or leave it out for [0].");
        }

        if (input.WorkingDirectory is { } folder && !Directory.Exists(folder))
        {
            return ActivityResult.Fail(new ActivityError(
                "process.workingDirectoryNotFound",
                $"The working directory '{folder}' of step '{context.StepId}' does not exist.")
            {
                Fix = "Create the folder in an earlier step, or correct 'workingDirectory'.",
            });
        }

        if (input.Elevated && !_isElevated())
        {
            return ActivityResult.Fail(new ActivityError(
                "process.notElevated",
                $"Step '{context.StepId}' runs '{input.File}' with 'elevated: true', but MdiFlow is not running {Elevation.Describe()}. MdiFlow never elevates by itself.",
                Permanent: true)
            {
                Fix = OperatingSystem.IsWindows()
                    ? "Run the MdiFlow host from an elevated prompt (Run as administrator) or as a service with administrator rights, then retry the step."
                    : "Run the MdiFlow host as root (for example with sudo), then retry the step.",
            });
        }

        var file = ResolveFile(input);
        if (HasFolder(input.File) && !File.Exists(file))
        {
            return NotFound(input, context, file);
        }

        return null;
    }

    /// <summary>A relative path with a folder part is taken relative to the working directory, as authors expect.</summary>
    private static string ResolveFile(ProcessRunInput input) =>
        HasFolder(input.File) && input.WorkingDirectory is { } folder && !Path.IsPathRooted(input.File)
            ? Path.GetFullPath(input.File, Path.GetFullPath(folder))
            : input.File;

    private static bool HasFolder(string file) =>
        file.Contains('/', StringComparison.Ordinal) || (OperatingSystem.IsWindows() && file.Contains('\\', StringComparison.Ordinal));

    private static ActivityResult StartFailed(ProcessRunInput input, ActivityContext context, Win32Exception ex)
    {
        // 2 and 3 are ENOENT / ERROR_FILE_NOT_FOUND and ERROR_PATH_NOT_FOUND.
        if (ex.NativeErrorCode is 2 or 3)
        {
            return NotFound(input, context, input.File);
        }

        return ActivityResult.Fail(new ActivityError(
            "process.startFailed",
            $"'{input.File}' (step '{context.StepId}') could not be started: {ex.Message}",
            Permanent: true)
        {
            Fix = "Check that the file is a program the MdiFlow account may execute (on Linux: the execute permission bit).",
            Details = new Dictionary<string, string> { ["nativeError"] = ex.NativeErrorCode.ToString(CultureInfo.InvariantCulture) },
        });
    }

    private static ActivityResult NotFound(ProcessRunInput input, ActivityContext context, string resolved) =>
        ActivityResult.Fail(new ActivityError(
            "process.notFound",
            HasFolder(input.File)
                ? $"The program '{resolved}' of step '{context.StepId}' does not exist."
                : $"The program '{input.File}' of step '{context.StepId}' was not found on PATH.")
        {
            Fix = "Correct 'file', give its full path, or install the program on this host.",
        });

    private static Dictionary<string, string> Tails(ProcessOutcome outcome) => new()
    {
        ["stdoutTail"] = outcome.Output,
        ["stderrTail"] = outcome.Error,
    };
}
