using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using MdiFlow.Cli.Commands;

namespace MdiFlow.Cli.Output;

/// <summary><c>--help</c>: the standard help, then the command's examples and the exit codes it can return.</summary>
internal sealed class ContractHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var code = standard.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        if (CommandContracts.All.TryGetValue(PathOf(parseResult.CommandResult), out var contract))
        {
            output.WriteLine("Examples:");
            foreach (var example in contract.Examples)
            {
                output.WriteLine($"  {example}");
            }

            output.WriteLine();
            output.WriteLine("Exit codes:");
            foreach (var exit in contract.ExitCodes)
            {
                output.WriteLine($"  {exit,-4} {CommandContracts.Meanings[exit]}");
            }

            output.WriteLine();
        }
        else if (parseResult.CommandResult.Command is RootCommand)
        {
            output.WriteLine("Examples:");
            output.WriteLine("  mdiflow run workflows/mdi-sensor-deployment.json --lab");
            output.WriteLine("  mdiflow list --status waiting");
            output.WriteLine();
            output.WriteLine("Exit codes: 0 done, 1 bug, 2 usage, 3 store, 4 not found, 5 not allowed, 10 waiting at a gate, 11 retry scheduled,");
            output.WriteLine("20 failed, 21 rejected, 22 cancelled, 23 completed with failed checks, 130 interrupted. Each command's --help lists its own; docs/cli.md is the contract.");
            output.WriteLine();
        }

        return code;
    }

    /// <summary>The command's path below the root: <c>run</c>, <c>config show</c>.</summary>
    public static string PathOf(CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r is not null && r.Command is not RootCommand; r = r.Parent as CommandResult)
        {
            names.Insert(0, r.Command.Name);
        }

        return string.Join(' ', names);
    }
}
