using System.Text;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Output;

/// <summary>Every command that <c>run</c> and <c>show</c> print as a next step runs as printed.</summary>
[Collection(CliCollection.Name)]
public sealed class NextCommandsTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public void An_input_failure_says_resuming_as_it_is_cannot_help_and_every_printed_hint_runs()
    {
        var workflow = _ws.Write("limit.json", """
            { "id": "limit", "inputs": { "limit": { "type": "string", "default": "soon" } }, "steps": [
              { "id": "wait", "uses": "process.run", "with": { "file": "true", "timeout": "{{ inputs.limit }}" } } ] }
            """);
        var run = cli.Mdiflow(_ws.Root, "run", workflow, "--store", _ws.Store);
        run.ExitCode.Should().Be(20, run.ToString());
        run.Stdout.Should().Contain("[activity.invalidInput]")
            .And.Contain("resuming it as it is fails the same way")
            .And.NotContain("Once the cause is fixed");
        var id = System.Text.RegularExpressions.Regex.Match(run.Stdout, @"Instance (\S+) failed at step 'wait'").Groups[1].Value;
        id.Should().NotBeEmpty(run.ToString());

        var show = cli.Mdiflow(_ws.Root, "show", id, "--store", _ws.Store);
        var hints = Hints(show.Stdout).Concat(Hints(run.Stdout)).Distinct().ToList();

        hints.Should().Contain($"mdiflow resume {id} --input limit=soon --store {_ws.Store}");
        hints.Should().Contain(h => h.StartsWith($"mdiflow skip {id} --step wait --reason ", StringComparison.Ordinal));
        hints.Should().Contain(h => h.StartsWith($"mdiflow cancel {id} --reason ", StringComparison.Ordinal));
        foreach (var hint in hints)
        {
            using var snapshot = StoreSnapshot.Take(_ws.StorePath);
            var ran = cli.Mdiflow(_ws.Root, [.. ShellWords(hint).Skip(1)]);
            ran.ExitCode.Should().NotBe(1).And.NotBe(2, $"'{hint}' was printed as a command to run:\n{ran}");
        }
    }

    [Fact]
    public void Resume_with_a_corrected_input_runs_the_failed_step_again_and_journals_the_change()
    {
        var workflow = _ws.Write("limit.json", """
            { "id": "limit", "inputs": { "limit": { "type": "string", "default": "soon" } }, "steps": [
              { "id": "wait", "uses": "process.run", "with": { "file": "true", "timeout": "{{ inputs.limit }}" } } ] }
            """);
        var run = cli.Mdiflow(_ws.Root, "run", workflow, "--store", _ws.Store, "--json");
        var id = Workspace.Json(run)["instanceId"]!.GetValue<string>();

        var resumed = cli.Mdiflow(_ws.Root, "resume", id, "--input", "limit=PT1M", "--store", _ws.Store);
        var audit = cli.Mdiflow(_ws.Root, "audit", id, "--json", "--store", _ws.Store);

        resumed.ExitCode.Should().Be(0, resumed.ToString());
        resumed.Stdout.Should().Contain($"Changed limit of instance {id}; the change is journaled.");
        Workspace.Json(audit)["entries"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "operator.inputsChanged")!["data"]!.ToJsonString()
            .Should().Be("""{"inputs":{"limit":{"from":"soon","to":"PT1M"}},"secrets":[]}""");
        cli.Mdiflow(_ws.Root, "resume", id, "--input", "limit=PT2M", "--store", _ws.Store).ExitCode.Should().Be(5, "a completed instance's inputs cannot change");
    }

    [Fact]
    public void A_failure_that_a_resume_can_fix_offers_resume_skip_and_cancel_and_each_runs()
    {
        var workflow = _ws.Write("fails.json", """
            { "id": "fails", "steps": [ { "id": "check", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "test -f fixed"] } } ] }
            """);
        var run = cli.Mdiflow(_ws.Root, "run", workflow, "--store", _ws.Store, "--json");
        var id = Workspace.Json(run)["instanceId"]!.GetValue<string>();

        var hints = Hints(cli.Mdiflow(_ws.Root, "show", id, "--store", _ws.Store).Stdout).ToList();

        hints.Should().Equal(
            $"mdiflow resume {id} --store {_ws.Store}",
            $"mdiflow skip {id} --step check --reason \"why it may be left out\" --store {_ws.Store}",
            $"mdiflow cancel {id} --reason \"why it ends here\" --store {_ws.Store}");
        File.WriteAllText(_ws.PathOf("fixed"), "");
        foreach (var hint in hints)
        {
            using var snapshot = StoreSnapshot.Take(_ws.StorePath);
            cli.Mdiflow(_ws.Root, [.. ShellWords(hint).Skip(1)]).ExitCode.Should().Be(0, hint);
        }
    }

    public void Dispose() => _ws.Dispose();

    /// <summary>The commands printed after "to ...:" in a report.</summary>
    private static IEnumerable<string> Hints(string output) =>
        output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("to ", StringComparison.OrdinalIgnoreCase) && l.Contains(":  mdiflow ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(":  mdiflow ", StringComparison.Ordinal) + 3)..]);

    /// <summary>Splits a command line as a POSIX shell does (single and double quotes).</summary>
    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                word.Append(line, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '"')
            {
                var end = line.IndexOf('"', i + 1);
                word.Append(line, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == ' ')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>Copies a SQLite store (and its key) aside and puts it back when disposed, so each hint runs against the same state.</summary>
    private sealed class StoreSnapshot : IDisposable
    {
        private readonly List<(string Path, byte[]? Bytes)> _files;

        private StoreSnapshot(List<(string, byte[]?)> files) => _files = files;

        public static StoreSnapshot Take(string store) =>
            new([.. new[] { store, store + "-wal", store + "-shm", store + ".key" }.Select(p => (p, File.Exists(p) ? File.ReadAllBytes(p) : null))]);

        public void Dispose()
        {
            foreach (var (path, bytes) in _files)
            {
                if (bytes is null)
                {
                    File.Delete(path);
                }
                else
                {
                    File.WriteAllBytes(path, bytes);
                }
            }
        }
    }
}
