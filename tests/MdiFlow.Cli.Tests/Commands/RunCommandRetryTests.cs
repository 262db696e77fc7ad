using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Commands;

/// <summary>Retries as an author declares them, with a real program that fails twice before it succeeds.</summary>
[Collection(CliCollection.Name)]
public sealed class RunCommandRetryTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public void A_program_exiting_1_1_0_under_three_attempts_completes_after_three()
    {
        var run = cli.Mdiflow(_ws.Root, "run", Workflow("three", """{ "maxAttempts": 3, "initialDelay": "PT0S" }"""), "--store", _ws.Store, "--json");

        run.ExitCode.Should().Be(0, run.ToString());
        var step = Workspace.Json(run)["steps"]![0]!;
        step["status"]!.GetValue<string>().Should().Be("completed");
        step["attempts"]!.GetValue<int>().Should().Be(3);
        _ws.Read("count").Trim().Should().Be("3");
    }

    [Fact]
    public void Under_two_attempts_it_fails_with_exit_20_and_the_failure_says_the_attempts_were_used()
    {
        var run = cli.Mdiflow(_ws.Root, "run", Workflow("two", """{ "maxAttempts": 2, "initialDelay": "PT0S" }"""), "--store", _ws.Store);

        run.ExitCode.Should().Be(20, run.ToString());
        run.Stdout.Should().Contain("failed at step 'flaky' after 2 attempt(s): [process.exitCode]");
        run.Stdout.Should().Contain("Not retried: all 2 attempts its retry allows (maxAttempts) were used.");
        _ws.Read("count").Trim().Should().Be("2");
    }

    [Fact]
    public void A_code_listed_in_nonRetryable_is_not_retried_and_show_says_why()
    {
        var run = cli.Mdiflow(_ws.Root, "run", Workflow("listed", """{ "maxAttempts": 3, "initialDelay": "PT0S", "nonRetryable": ["process.exitCode"] }"""), "--store", _ws.Store, "--json");
        var id = Workspace.Json(run)["instanceId"]!.GetValue<string>();

        var show = cli.Mdiflow(_ws.Root, "show", id, "--store", _ws.Store);
        var json = Workspace.Json(cli.Mdiflow(_ws.Root, "show", id, "--store", _ws.Store, "--json"));

        run.ExitCode.Should().Be(20, run.ToString());
        _ws.Read("count").Trim().Should().Be("1");
        show.Stdout.Should().Contain("not retried: the workflow lists 'process.exitCode' in retry.nonRetryable (1 attempt of 3 used).");
        json["steps"]![0]!["notRetried"]!["reason"]!.GetValue<string>().Should().Be("nonRetryable");
    }

    [Fact]
    public void An_exit_code_that_retryableExitCodes_leaves_out_is_not_retried()
    {
        var run = cli.Mdiflow(_ws.Root, "run", Workflow("narrowed", """{ "maxAttempts": 3, "initialDelay": "PT0S" }""", """, "retryableExitCodes": [75]"""), "--store", _ws.Store);

        run.ExitCode.Should().Be(20, run.ToString());
        _ws.Read("count").Trim().Should().Be("1");
        run.Stdout.Should().Contain("Not retried: the activity marks 'process.exitCode' permanent");
    }

    public void Dispose() => _ws.Dispose();

    /// <summary>A workflow whose one step runs a program that exits 1, 1, then 0, counting its runs in a file.</summary>
    private string Workflow(string name, string retry, string moreInputs = "") => _ws.Write(name + ".json", $$"""
        { "id": "{{name}}", "steps": [ { "id": "flaky", "uses": "process.run", "retry": {{retry}}, "with": {
            "file": "sh", "workingDirectory": "{{_ws.Root}}"{{moreInputs}},
            "arguments": ["-c", "n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; [ $n -ge 3 ]"] } } ] }
        """);
}
