using MdiFlow.Cli.Output;
using MdiFlow.Definitions;
using MdiFlow.Journal;
using MdiFlow.Engine;
using MdiFlow.Policy;
using MdiFlow.Storage;

namespace MdiFlow.Cli;

/// <summary>A mistake in the command line itself: exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Turns every exception into the contract's exit code and plain sentences on standard error.</summary>
internal static class CliErrors
{
    public static int Report(Exception exception, TextWriter error, bool verbose)
    {
        var code = exception switch
        {
            UsageException or WorkflowValidationException or PolicyException => ExitCodes.Usage,
            StoreException or IntegrityException or JournalKeyException => ExitCodes.Store,
            Microsoft.Extensions.Options.OptionsValidationException or AggregateException { InnerExceptions: [Microsoft.Extensions.Options.OptionsValidationException, ..] } => ExitCodes.Usage,
            OperationCanceledException => ExitCodes.Interrupted,
            InstanceNotFoundException => ExitCodes.NotFound,
            InstanceStateException or ConcurrencyException or ActionNotAllowedException or ReauthenticationRequiredException => ExitCodes.NotAllowed,
            _ => ExitCodes.Internal,
        };
        switch (exception)
        {
            case WorkflowValidationException invalid:
                WriteErrors(error, invalid.Source ?? "The workflow", invalid.Errors);

                error.WriteLine("Nothing was stored. Fix the errors above and run the command again.");
                break;
            case Microsoft.Extensions.Options.OptionsValidationException or AggregateException when code == ExitCodes.Usage:
                var failures = (exception is AggregateException all ? all.InnerExceptions : [exception])
                    .OfType<Microsoft.Extensions.Options.OptionsValidationException>().SelectMany(e => e.Failures).ToList();
                error.WriteLine($"The configuration has {failures.Count} mistake(s):");
                foreach (var failure in failures)
                {
                    error.WriteLine($"  {TerminalText.Safe(failure)}");
                }

                error.WriteLine("Nothing was done. Correct them and run the command again.");
                break;
            case OperationCanceledException:
                error.WriteLine("Interrupted (Ctrl+C or a stop signal). 'mdiflow show ID' says where the instance stands; 'mdiflow resume ID' continues it.");
                break;
            case ConcurrencyException:
                error.WriteLine($"Another process changed the instance at the same moment, so this command changed nothing. ({TerminalText.Safe(exception.Message)}) Run 'mdiflow show ID' to see where it stands now.");
                break;
            case var _ when code == ExitCodes.Internal:
                error.WriteLine($"Unexpected error: {exception.GetType().Name}: {TerminalText.Safe(exception.Message)}");
                error.WriteLine("This is a bug in mdiflow. Please report it with the output of the same command run with --verbose.");
                break;
            default:
                error.WriteLine(TerminalText.Safe(exception.Message));
                break;
        }

        if (verbose)
        {
            error.WriteLine(exception.ToString());
        }

        return code;
    }

    /// <summary>Every mistake of a workflow or its inputs, each with the command-line words that fix it where there are some.</summary>
    public static void WriteErrors(TextWriter error, string source, IReadOnlyList<WorkflowError> errors)
    {
        error.WriteLine($"{TerminalText.Safe(source)} has {errors.Count} error(s):");
        foreach (var e in errors)
        {
            error.WriteLine($"  {TerminalText.Safe(e.ToString())}");
            if (Hint(e) is { } hint)
            {
                error.WriteLine($"    {hint}");
            }
        }

        if (errors.Any(e => e.Code == WorkflowErrorCodes.UnknownActivity))
        {
            error.WriteLine("'mdiflow activities' lists the installed activities.");
        }
    }

    /// <summary>What is allowed but likely a mistake, one line each.</summary>
    public static void WriteWarnings(TextWriter error, string source, IReadOnlyList<WorkflowError> warnings)
    {
        foreach (var w in warnings)
        {
            error.WriteLine($"{TerminalText.Safe(source)}: warning: {TerminalText.Safe(w.ToString())}");
        }
    }

    /// <summary>The command-line words for a mistake in the inputs given (Core states the facts, the CLI names its options).</summary>
    public static string? Hint(WorkflowError e) => (e.Code, e.Subject is { } s ? TerminalText.Safe(s) : null) switch
    {
        (WorkflowErrorCodes.InputMissing, { } name) => $"Pass it: --input {name}=VALUE (or in --inputs FILE.json).",
        (WorkflowErrorCodes.SecretMissing or WorkflowErrorCodes.SecretValue, { } name) => $"Pass it by reference: --secret {name}=env:VARIABLE or --secret {name}=file:PATH.",
        _ => null,
    };
}
