using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;
using MdiFlow.Cli.Commands;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests;

/// <summary>docs/cli.md is the contract: every command and exit code it names exists in the CLI, and the reverse.</summary>
public sealed partial class CliApplicationTests
{
    private static readonly string Contract = File.ReadAllText(Path.Combine(PublishedCli.RepositoryRoot, "docs", "cli.md"));

    [Fact]
    public void Every_command_in_docs_cli_md_exists_in_the_cli_and_every_command_of_the_cli_is_in_docs_cli_md()
    {
        var documented = Table("## Commands").Select(row => string.Join(' ', CommandWords().Match(row[0]).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        var built = Leaves(CliApplication.BuildRoot()).Select(c => c.Path).ToList();

        documented.Should().NotBeEmpty().And.OnlyHaveUniqueItems();
        documented.Should().BeEquivalentTo(built, "docs/cli.md lists exactly the commands mdiflow has");
    }

    [Fact]
    public void Every_exit_code_in_docs_cli_md_is_one_the_cli_returns_and_the_reverse()
    {
        var documented = Table("## Exit codes").Select(row => int.Parse(row[0].Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var defined = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!).ToList();
        var returned = CommandContracts.All.Values.SelectMany(c => c.ExitCodes).Distinct().ToList();

        documented.Should().BeEquivalentTo(defined, "docs/cli.md lists exactly the exit codes of ExitCodes");
        returned.Should().BeEquivalentTo(defined, "every exit code is one some command's --help says it can return");
    }

    [Fact]
    public void Every_option_of_every_command_is_in_its_row_of_docs_cli_md()
    {
        var rows = Table("## Commands").ToDictionary(row => string.Join(' ', CommandWords().Match(row[0]).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)), row => row[0] + row[1]);
        var global = new[] { "--store", "--config", "--policy", "--verbose", "--help", "-h", "-?", "--version" };

        var missing = Leaves(CliApplication.BuildRoot())
            .SelectMany(c => c.Command.Options.Select(o => o.Name).Where(o => !global.Contains(o) && !rows[c.Path].Contains(o, StringComparison.Ordinal)).Select(o => $"{c.Path} {o}"))
            .ToList();

        missing.Should().BeEmpty("docs/cli.md documents every option of every command");
    }

    [Fact]
    public async Task The_help_of_every_command_shows_an_example_and_the_exit_codes_it_can_return()
    {
        foreach (var (path, _) in Leaves(CliApplication.BuildRoot()))
        {
            using var output = new StringWriter();
            var code = await CliApplication.RunAsync([.. path.Split(' '), "--help"], output, output);

            code.Should().Be(0, output.ToString());
            var help = output.ToString();
            help.Should().Contain("Examples:\n  mdiflow " + path, $"'{path} --help' shows an example of itself");
            var codes = help[help.IndexOf("Exit codes:", StringComparison.Ordinal)..].Split('\n').Skip(1).TakeWhile(l => l.Length > 0).Select(l => int.Parse(l.Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            codes.Should().Contain([0, 1, 2], $"'{path} --help' lists the exit codes every command can return");
            codes.Should().BeEquivalentTo(CommandContracts.All[path].ExitCodes);
        }
    }

    private static IEnumerable<(string Path, Command Command)> Leaves(Command command, string prefix = "")
    {
        foreach (var sub in command.Subcommands)
        {
            var path = (prefix + " " + sub.Name).Trim();
            if (sub.Subcommands.Count == 0)
            {
                yield return (path, sub);
            }

            foreach (var nested in Leaves(sub, path))
            {
                yield return nested;
            }
        }
    }

    /// <summary>The rows of the first table after <paramref name="heading"/>: their cells, without the header and separator rows.</summary>
    private static IEnumerable<string[]> Table(string heading)
    {
        var lines = Contract.Split('\n').SkipWhile(l => l.TrimEnd() != heading).Skip(1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2);
        return lines.Select(l => CellBorder().Split(l.Trim().Trim('|')).Select(c => c.Trim()).ToArray());
    }

    /// <summary>The command's words at the start of its first cell: <c>`config show [--json]`</c> gives <c>config show</c>.</summary>
    [GeneratedRegex(@"^`((?:[a-z][a-z-]* ?)+)")]
    private static partial Regex CommandWords();

    /// <summary>A cell border: a <c>|</c> not escaped as <c>\|</c>.</summary>
    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex CellBorder();
}
