using System.CommandLine;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow validate WORKFLOW.json...</c>: check definitions against the installed activities.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("workflows") { Description = "Workflow files.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Check workflow files against the installed activities; every error with its JSON path.") { files };
        command.SetAction(async parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            await using var session = CliSession.WithoutStore();
            var failed = 0;
            foreach (var file in parsed.GetValue(files)!)
            {
                if (!File.Exists(file))
                {
                    await error.WriteLineAsync($"{file}: the file does not exist.").ConfigureAwait(false);
                    failed++;
                    continue;
                }

                var loaded = session.Validator.LoadFile(file);
                CliErrors.WriteWarnings(error, file, loaded.Warnings);
                if (loaded.Definition is not null)
                {
                    await output.WriteLineAsync($"{TerminalText.Safe(file)}: valid ({TerminalText.Safe(loaded.Definition.Id)} v{TerminalText.Safe(loaded.Definition.Version)}, {loaded.Definition.Steps.Count} steps).").ConfigureAwait(false);
                    continue;
                }

                failed++;
                CliErrors.WriteErrors(error, file, loaded.Errors);
            }

            return failed == 0 ? ExitCodes.Done : ExitCodes.Usage;
        });
        return command;
    }
}
