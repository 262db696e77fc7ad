using System.Text;
using System.Text.RegularExpressions;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Lab;

/// <summary>
/// A newcomer who only copies the commands mdiflow prints: the rehearsal of the MDI deployment, started with a store in
/// a folder with a space, a configuration file and a policy overlay that asks for two approvals, goes to its end.
/// </summary>
[Collection(CliCollection.Name)]
public sealed partial class PrintedCommandsTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public void A_rehearsal_followed_only_through_its_printed_commands_completes()
    {
        Directory.CreateDirectory(_ws.PathOf("change 1234"));
        _ws.Write("two-approvals.json", """{ "gates": { "minApprovals": 2 } }""");
        _ws.Write("ops.json", """{ "graph": { "tenantId": "contoso.onmicrosoft.com" } }""");
        var globals = new[] { "--store", "sqlite:change 1234/mdiflow.db", "--config", "ops.json", "--policy", "two-approvals.json" };
        var last = cli.Mdiflow(_ws.Root, ["run", Rehearsal.Workflow, "--lab", .. globals]);
        var followed = new List<string>();
        var actors = new List<string>();

        for (var round = 0; NextCommand(last) is { } next; round++)
        {
            round.Should().BeLessThan(20, "the rehearsal ends: " + string.Join("\n", followed));
            followed.Add(next);
            next.Should().NotContainAny(["NAME", " ID ", "TEXT"], "a printed command has no placeholders");
            next.Should().Contain("--store \"sqlite:change 1234/mdiflow.db\"").And.Contain("--config ops.json").And.Contain("--policy two-approvals.json", "printed commands repeat every global option given");
            var words = Words(next);
            words[0].Should().Be("mdiflow");
            if (words.IndexOf("--as") is var at and >= 0)
            {
                actors.Add($"{words[1]} {words[at + 1]}");
            }

            last = cli.Mdiflow(_ws.Root, [.. words.Skip(1)]);
            last.ExitCode.Should().BeOneOf([0, 10], $"'{next}' runs as printed:\n{last}");
        }

        last.ExitCode.Should().Be(0, last.ToString());
        last.Stdout.Should().MatchRegex(@"Instance \S+ completed\.", string.Join("\n", followed));
        actors.Should().Equal(["complete alice", "complete alice", "approve bob", "approve carol"], "the portal and role tasks are alice's; two board members approve");
        File.Exists(_ws.PathOf(Path.Combine("change 1234", "mdiflow.db"))).Should().BeTrue();
        File.Exists(_ws.PathOf("mdiflow.db")).Should().BeFalse("no printed command fell back to the default store");
    }

    [Fact]
    public void A_rehearsal_names_its_approvers_and_one_who_may_approve_now()
    {
        var (_, last) = RunToChangeBoard();

        last.Stdout.Should().Contain("This is a rehearsal: act as one of its people with --as (its change board: bob, carol, dave; bob, carol, dave may approve now).");
        last.Stdout.Should().MatchRegex(@"To approve: +mdiflow approve \S+ --step changeBoard --comment ""why"" --as bob --store ");
    }

    [Fact]
    public void Plan_with_lab_fills_the_inputs_a_rehearsal_supplies_as_run_with_lab_does()
    {
        var plan = cli.Mdiflow(_ws.Root, "plan", Rehearsal.Workflow, "--lab");

        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Stdout.Should().Contain("Rehearsal plan on lab profile 'healthy-dc'; the lab supplies: workspace, serviceAccount, packageFolder, extractTo.");
        plan.Stdout.Should().Contain("workspace = \"contoso-corp\"");
    }

    [Fact]
    public void Text_output_shows_no_json_escapes()
    {
        var plan = cli.Mdiflow(_ws.Root, "plan", Rehearsal.Workflow, "--lab");
        var (id, run) = RunToChangeBoard();
        var show = cli.Mdiflow(_ws.Root, "show", id, "--store", _ws.Store);
        var audit = cli.Mdiflow(_ws.Root, "audit", id, "--store", _ws.Store);

        foreach (var text in new[] { plan.Stdout, run.Stdout, show.Stdout, audit.Stdout })
        {
            JsonEscape().Matches(text).Select(m => m.Value).Should().BeEmpty("text output is for people: no \\u0027, \\\\ or \\\" escapes");
        }

        plan.Stdout.Should().Contain(@"identity = ""CONTOSO\mdiSvc01$""", "a backslash is shown as it is");
        show.Stdout.Should().Contain(@"CONTOSO\mdiSvc01$");
    }

    public void Dispose() => _ws.Dispose();

    private (string Id, CliResult Last) RunToChangeBoard()
    {
        var lab = new Rehearsal(cli, _ws);
        var (id, _) = lab.Start("healthy-dc");
        lab.ActUntil(id, "rolePrerequisites");
        return (id, lab.Mdiflow("resume", id));
    }

    /// <summary>The command to follow: the action the output asks of people first, else how to continue.</summary>
    private static string? NextCommand(CliResult result)
    {
        var lines = result.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        string? Hint(string label) => lines.Where(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal)).Select(l => l[(l.IndexOf("mdiflow ", StringComparison.Ordinal))..].Trim()).LastOrDefault();
        return Hint("When it is done:") ?? Hint("To approve:") ?? Hint("Continue it:") ?? Hint("Then continue it:");
    }

    /// <summary>Splits a printed command as a POSIX shell does: double quotes with backslash escapes, single quotes.</summary>
    private static List<string> Words(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (c == ' ' )
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '"')
            {
                for (i++; command[i] != '"'; i++)
                {
                    word.Append(command[i] == '\\' && command[i + 1] is '"' or '\\' or '$' or '`' ? command[++i] : command[i]);
                }
            }
            else if (c == '\'')
            {
                for (i++; command[i] != '\''; i++)
                {
                    word.Append(command[i]);
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    [GeneratedRegex(@"\\u[0-9A-Fa-f]{4}|\\\\|\\""")]
    private static partial Regex JsonEscape();
}
