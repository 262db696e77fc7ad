using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class OperatorCommandTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    private CliResult Mdiflow(params string[] args) => cli.Mdiflow(_ws.Root, [.. args, "--store", _ws.Store]);

    private string FailedInstance(bool skippable)
    {
        var workflow = _ws.Write("w.json", $$"""
            { "id": "ops", "steps": [
              { "id": "probe", "uses": "process.run", "skippable": {{(skippable ? "true" : "false")}}, "with": { "file": "sh", "arguments": ["-c", "exit 7"] } },
              { "id": "after", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo ran >> after.count"] } } ] }
            """);
        var run = Mdiflow("run", workflow, "--json");
        run.ExitCode.Should().Be(20, run.ToString());
        return Workspace.Json(run)["instanceId"]!.GetValue<string>();
    }

    [Fact]
    public void Skip_continues_past_a_failed_step_and_the_journal_names_who_and_why()
    {
        var id = FailedInstance(skippable: true);

        Mdiflow("skip", id, "--step", "probe", "--reason", "checked by hand").ExitCode.Should().Be(0);
        Mdiflow("resume", id).ExitCode.Should().Be(0);

        _ws.Lines("after.count").Should().HaveCount(1);
        var skipped = Workspace.Json(Mdiflow("audit", id, "--json"))["entries"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "operator.skipped")!;
        skipped["actor"]!.GetValue<string>().Should().Be(Environment.UserName);
        skipped["data"]!["reason"]!.GetValue<string>().Should().Be("checked by hand");
    }

    [Fact]
    public void Skip_of_a_step_marked_not_skippable_is_refused_with_exit_5()
    {
        var id = FailedInstance(skippable: false);

        var skip = Mdiflow("skip", id, "--step", "probe", "--reason", "please");

        skip.ExitCode.Should().Be(5);
        skip.Stderr.Should().Contain("\"skippable\": false");
    }

    [Fact]
    public void Cancel_ends_a_failed_instance_and_is_refused_once_it_is_finished()
    {
        var id = FailedInstance(skippable: true);

        Mdiflow("cancel", id, "--reason", "withdrawn").ExitCode.Should().Be(0);
        Mdiflow("resume", id).ExitCode.Should().Be(22);
        var again = Mdiflow("cancel", id, "--reason", "again");
        again.ExitCode.Should().Be(5);
        again.Stderr.Should().Contain("is cancelled; it cannot be cancelled");
    }

    [Fact]
    public void Show_of_a_failed_instance_gives_the_error_and_the_next_action()
    {
        var id = FailedInstance(skippable: true);

        var show = Mdiflow("show", id);

        show.Stdout.Should().Contain("error [process.exitCode]").And.Contain("Next:").And.Contain("to run 'probe' again once the cause is fixed:  mdiflow resume");
    }

    [Fact]
    public void A_retry_due_later_stops_the_run_with_exit_11_and_the_due_time()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // Nothing listens there now: the probe fails with a retryable connection error.
        var workflow = _ws.Write("later.json", $$"""
            { "id": "later", "steps": [ { "id": "probe", "uses": "http.probe", "with": { "url": "http://127.0.0.1:{{port}}/" },
              "retry": { "maxAttempts": 3, "initialDelay": "PT10M", "maxDelay": "PT1H" } } ] }
            """);

        var run = Mdiflow("run", workflow, "--json");

        run.ExitCode.Should().Be(11, run.ToString());
        var shown = Workspace.Json(run);
        shown["status"]!.GetValue<string>().Should().Be("scheduled");
        shown["dueAt"]!.GetValue<DateTimeOffset>().Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(9));
        Mdiflow("resume", shown["instanceId"]!.GetValue<string>()).ExitCode.Should().Be(11, "the retry is not due yet");
    }

    public void Dispose() => _ws.Dispose();
}
