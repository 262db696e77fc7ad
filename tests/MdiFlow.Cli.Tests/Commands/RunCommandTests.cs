using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class RunCommandTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public void Five_standard_steps_with_bindings_and_a_skipped_step_complete_and_are_stored()
    {
        using (var zip = ZipFile.Open(_ws.PathOf("package.zip"), ZipArchiveMode.Create))
        {
            foreach (var name in new[] { "setup.exe", "readme.txt", "config/sensor.json" })
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open());
                w.Write("content of " + name);
            }
        }

        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            context.Response.StatusCode = 200;
            await context.Response.OutputStream.WriteAsync("Ok"u8.ToArray());
            context.Response.Close();
        });
        var workflow = _ws.Write("five.json", """
            {
              "id": "five-standard",
              "inputs": { "package": { "required": true }, "probeTwice": { "type": "boolean", "default": false } },
              "steps": [
                { "id": "hash", "uses": "file.hash", "with": { "path": "{{ inputs.package }}" } },
                { "id": "extract", "uses": "zip.extract", "with": {
                    "archive": "{{ inputs.package }}", "destination": "{{ inputs.package }}.d", "sha256": "{{ steps.hash.output.sha256 }}" } },
                { "id": "count", "uses": "process.run", "with": {
                    "file": "sh", "arguments": ["-c", "ls -R \"$0\" | grep -c . > count.txt", "{{ steps.extract.output.directory }}"] } },
                { "id": "probe", "uses": "http.probe", "with": { "url": "http://127.0.0.1:{{port}}/ping" } },
                { "id": "probeAgain", "uses": "http.probe", "with": { "url": "http://127.0.0.1:{{port}}/ping" }, "when": "inputs.probeTwice" }
              ]
            }
            """.Replace("{{port}}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var run = cli.Mdiflow(_ws.Root, "run", workflow, "--input", "package=" + _ws.PathOf("package.zip"), "--store", _ws.Store);

        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().MatchRegex(@"✔ extract completed in \d");
        run.Stdout.Should().Contain("↷ probeAgain skipped: its condition is false: inputs.probeTwice");
        var id = Workspace.Json(cli.Mdiflow(_ws.Root, "list", "--json", "--store", _ws.Store))[0]!["instanceId"]!.GetValue<string>();
        var show = cli.Mdiflow(_ws.Root, "show", id[..8], "--json", "--store", _ws.Store);
        show.ExitCode.Should().Be(0, show.ToString());
        var steps = Workspace.Json(show)["steps"]!.AsArray();
        steps.Select(s => (s!["id"]!.GetValue<string>(), s["status"]!.GetValue<string>(), s["attempts"]!.GetValue<int>())).Should().Equal(
            ("hash", "completed", 1), ("extract", "completed", 1), ("count", "completed", 1), ("probe", "completed", 1), ("probeAgain", "skipped", 0));
        Workspace.Json(show)["status"]!.GetValue<string>().Should().Be("completed");
        steps[3]!["output"]!["status"]!.GetValue<int>().Should().Be(200);
        File.ReadAllText(_ws.PathOf("count.txt")).Trim().Should().NotBe("0");
        _ws.Count($"SELECT COUNT(*) FROM instances WHERE id = '{id}' AND status = 'completed'").Should().Be(1);
        _ws.Count($"SELECT COUNT(*) FROM journal WHERE instance_id = '{id}'").Should().BeGreaterThan(10);
        cli.Mdiflow(_ws.Root, "audit", id, "--verify", "--store", _ws.Store).ExitCode.Should().Be(0);
    }

    [Fact]
    public void A_workflow_with_four_mistakes_gets_four_messages_exit_2_and_nothing_is_stored()
    {
        var workflow = _ws.Write("broken.json", """
            {
              "id": "broken",
              "steps": [
                { "id": "one", "uses": "zip.extrac", "with": { "archive": "a.zip", "destination": "d" } },
                { "id": "two", "uses": "file.hash", "with": { } },
                { "id": "three", "uses": "file.hash", "with": { "path": "{{ steps.ghost.output.directory }}" } },
                { "id": "four", "uses": "delay", "with": { "duration": "PT1S" }, "when": "steps.two.output.sha256 ==" }
              ]
            }
            """);

        var run = cli.Mdiflow(_ws.Root, "run", workflow, "--store", _ws.Store);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("has 4 error(s)")
            .And.Contain("$.steps[0].uses (line 4): unknown activity 'zip.extrac'; no installed activity has that name. Did you mean 'zip.extract'?")
            .And.Contain("$.steps[1].with (line 5): 'file.hash' requires the input 'path'.")
            .And.Contain("$.steps[2].with.path (line 6): 'steps.ghost.output.directory' binds to an unknown step 'ghost'.")
            .And.Contain("$.steps[3].when (line 7): the condition does not parse");
        File.Exists(_ws.StorePath).Should().BeFalse("a refused workflow must not create or touch the store");
        cli.Mdiflow(_ws.Root, "validate", workflow).ExitCode.Should().Be(2);
    }

    [Fact]
    public void Editing_the_workflow_file_after_an_instance_started_does_not_change_that_instance()
    {
        var workflow = _ws.Write("edit.json", """
            { "id": "edit", "steps": [
              { "id": "gate", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "test -f fixed"] } },
              { "id": "write", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo original > out.txt"] } } ] }
            """);
        var first = cli.Mdiflow(_ws.Root, "run", workflow, "--json", "--store", _ws.Store);
        first.ExitCode.Should().Be(20, first.ToString());
        var id = Workspace.Json(first)["instanceId"]!.GetValue<string>();

        File.WriteAllText(workflow, File.ReadAllText(workflow).Replace("echo original", "echo edited", StringComparison.Ordinal));
        File.WriteAllText(_ws.PathOf("fixed"), "");
        var resumed = cli.Mdiflow(_ws.Root, "resume", id, "--store", _ws.Store);

        resumed.ExitCode.Should().Be(0, resumed.ToString());
        _ws.Read("out.txt").Trim().Should().Be("original");
    }

    [Fact]
    public void A_failed_run_says_what_failed_and_how_to_continue()
    {
        var workflow = _ws.Write("fail.json", """
            { "id": "fail", "steps": [ { "id": "broken", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo disk full >&2; exit 3"] } } ] }
            """);

        var run = cli.Mdiflow(_ws.Root, "run", workflow, "--store", _ws.Store);

        run.ExitCode.Should().Be(20, run.ToString());
        run.Stdout.Should().Contain("failed at step 'broken' after 1 attempt(s): [process.exitCode]")
            .And.Contain("mdiflow resume ").And.Contain("--store " + _ws.Store);
    }

    [Fact]
    public void Usage_mistakes_exit_2_and_unknown_instances_exit_4()
    {
        cli.Mdiflow(_ws.Root, "run").ExitCode.Should().Be(2);
        cli.Mdiflow(_ws.Root, "run", "missing.json", "--store", _ws.Store).ExitCode.Should().Be(2);
        cli.Mdiflow(_ws.Root, "list", "--status", "sleeping", "--store", _ws.Store).ExitCode.Should().Be(2);
        cli.Mdiflow(_ws.Root, "show", "01abcdefgh", "--store", _ws.Store).ExitCode.Should().Be(4);
        cli.Mdiflow(_ws.Root, "list", "--store", "mysql:x").Stderr.Should().Contain("is not a store");
    }

    public void Dispose() => _ws.Dispose();

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
