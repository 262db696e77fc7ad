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
                error.WriteLine($"{TerminalText.Safe(invalid.Source)} has {invalid.Errors.Count} error(s):");
                foreach (var e in invalid.Errors)
                {
                    error.WriteLine($"  {TerminalText.Safe(e.ToString())}");
                }

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
}
