using System.CommandLine;
using MdiFlow.Cli.Commands;

namespace MdiFlow.Cli;

/// <summary>The <c>mdiflow</c> command line (contract: CLI.md).</summary>
internal static class CliApplication
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("MdiFlow: durable runbooks that pause for approval and resume after failure.");
        root.Options.Add(CommonOptions.Store);
        root.Options.Add(CommonOptions.Verbose);
        root.Options.Add(CommonOptions.Policy);
        root.Options.Add(CommonOptions.Config);
        foreach (var command in new[]
        {
            RunCommand.Create(), ResumeCommand.Create(), PlanCommand.Create(), ValidateCommand.Create(),
            ListCommand.Create(), ShowCommand.Create(), AuditCommand.Create(), ActivitiesCommand.Create(), GraphCommand.Create(),
            GateCommands.Approve(), GateCommands.Reject(), GateCommands.Complete(), OperatorCommands.Skip(), OperatorCommands.Cancel(),
            WorkerCommand.Create(), SchemaCommand.Create(), ServeCommand.Create(), ConfigCommand.Create(),
        })
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'mdiflow --help' (or 'mdiflow COMMAND --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return CliErrors.Report(ex, error, parsed.GetValue(CommonOptions.Verbose));
        }
    }
}
