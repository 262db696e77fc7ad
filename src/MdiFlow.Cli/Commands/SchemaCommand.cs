using System.CommandLine;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Definitions;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow schema</c>: the JSON Schema of workflow files for the installed activities.</summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var command = new Command("schema", "Print the JSON Schema of workflow files (workflows/mdiflow.schema.json) for the installed activities.");
        command.SetAction(async parsed =>
        {
            await using var session = CliSession.WithoutStore();
            JsonOutput.Write(parsed.InvocationConfiguration.Output, WorkflowSchema.Generate(session.Catalog));
            return ExitCodes.Done;
        });
        return command;
    }
}
