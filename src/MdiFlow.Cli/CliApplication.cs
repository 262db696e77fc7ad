using System.CommandLine;
using System.CommandLine.Help;
using MdiFlow.Cli.Commands;
using MdiFlow.Cli.Output;

namespace MdiFlow.Cli;

/// <summary>The <c>mdiflow</c> command line (contract: docs/cli.md).</summary>
internal static class CliApplication
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var parsed = BuildRoot().Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not ContractHelpAction)
        {
            foreach (var e in parsed.Errors)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'mdiflow --help' (or 'mdiflow COMMAND --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Ctrl+C and SIGTERM cancel the command: a run stops its step and hands the instance back (exit 130), the worker
        // stops (exit 0). Only a step that ignores the stop for this long is abandoned, its instance recovered later.
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        };
        try
        {
            return await parsed.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return CliErrors.Report(ex, error, parsed.GetValue(CommonOptions.Verbose));
        }
    }

    /// <summary>Every command, with the global options and a help that ends with each command's examples and exit codes.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("MdiFlow: durable runbooks that pause for approval and resume after failure.");
        root.Options.Add(CommonOptions.Store);
        root.Options.Add(CommonOptions.Config);
        root.Options.Add(CommonOptions.Policy);
        root.Options.Add(CommonOptions.Verbose);
        foreach (var command in new[]
        {
            RunCommand.Create(), ResumeCommand.Create(), PlanCommand.Create(), ValidateCommand.Create(),
            ListCommand.Create(), ShowCommand.Create(), AuditCommand.Create(), ActivitiesCommand.Create(), GraphCommand.Create(),
            GateCommands.Approve(), GateCommands.Reject(), GateCommands.Complete(), GateCommands.Assign(), GateCommands.Unassign(), OperatorCommands.Skip(), OperatorCommands.Cancel(),
            WorkerCommand.Create(), SchemaCommand.Create(), ServeCommand.Create(), ConfigCommand.Create(), ServiceCommand.Create(),
        })
        {
            root.Subcommands.Add(command);
        }

        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction standard)
            {
                help.Action = new ContractHelpAction(standard);
            }
        }

        return root;
    }
}
