using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Trust;

/// <summary>Nothing a person types can clear the screen or fake a line: evidence, comments and names print with control characters shown.</summary>
[Collection(CliCollection.Name)]
public sealed class ScreenSpoofingTests(PublishedCli cli) : IDisposable
{
    private const string Evidence = "done\u001b[2J\u001b[1A\napproved by SECURITY-LEAD\u202e";
    private const string Comment = "ok\u001b[2J\nrejected by nobody\r";

    private Board? _board;

    private Board B => _board ??= new Board(cli, """{ "groups": { "change-board": ["{bob}"] } }""", "bob");

    [RootFact]
    public void Evidence_and_comments_with_escape_sequences_are_printed_escaped_in_show_list_resume_and_audit()
    {
        var workflow = B.Ws.Write("spoof.json", """
            { "id": "spoof", "steps": [
              { "id": "portal", "uses": "manualTask", "with": { "instructions": "Create the workspace." } },
              { "id": "board", "uses": "approval", "with": { "approvers": ["group:change-board"], "instructions": "Portal done: {{ steps.portal.output.evidence }}" } },
              { "id": "after", "uses": "delay", "with": { "duration": "PT0S" } } ] }
            """);
        var (id, _) = B.Start(null, workflow);
        B.As(null, "complete", id, "--step", "portal", "--evidence", Evidence).ExitCode.Should().Be(0);
        var resume = B.As(null, "resume", id);
        B.As("bob", "approve", id, "--comment", Comment).ExitCode.Should().Be(0);

        var outputs = new[] { resume, B.As(null, "show", id), B.As(null, "list"), B.As(null, "audit", id), B.As(null, "resume", id) };

        foreach (var output in outputs)
        {
            output.Stdout.Should().NotContain("\u001b").And.NotContain("\u202e").And.NotContain("\r");
            output.Stdout.Split('\n').Should().NotContain(line => line.StartsWith("approved by SECURITY-LEAD", StringComparison.Ordinal) || line.StartsWith("rejected by nobody", StringComparison.Ordinal));
        }

        resume.Stdout.Should().Contain(@"done\e[2J\e[1A\napproved by SECURITY-LEAD\u202E");
        outputs[1].Stdout.Should().Contain(@"ok\e[2J\nrejected by nobody\r");
        outputs[3].Stdout.Should().Contain(@"done\e[2J\e[1A\napproved by SECURITY-LEAD\u202E", "audit shows the data with its control characters escaped as the other views do");
        Workspace.Json(B.As(null, "show", id, "--json"))["steps"]![0]!["output"]!["evidence"]!.GetValue<string>().Should().Be(Evidence, "JSON keeps the text exactly");
    }

    public void Dispose() => _board?.Dispose();
}
