using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Commands;

/// <summary><c>assign</c> and <c>unassign</c> ("assign to me") on a manual task, through the real CLI.</summary>
[Collection(CliCollection.Name)]
public sealed class AssignCommandTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public void A_rehearsal_task_taken_by_alice_is_completed_only_by_her_until_she_gives_it_back()
    {
        var workflow = _ws.Write("task.json", """
            { "id": "task", "steps": [ { "id": "portal", "uses": "manualTask", "with": { "instructions": "Create the workspace.", "assignees": ["user:alice", "user:bob"] } } ] }
            """);
        var run = cli.Mdiflow(_ws.Root, "run", workflow, "--lab", "--as", "alice", "--store", _ws.Store, "--json");
        run.ExitCode.Should().Be(10, run.ToString());
        var id = Workspace.Json(run)["instanceId"]!.GetValue<string>();
        CliResult Mdiflow(params string[] args) => cli.Mdiflow(_ws.Root, [.. args, "--store", _ws.Store]);

        var taken = Mdiflow("assign", id, "--as", "alice");
        var byBob = Mdiflow("complete", id, "--step", "portal", "--evidence", "done", "--as", "bob");
        var shown = Mdiflow("show", id);
        var givenBack = Mdiflow("unassign", id, "--as", "alice");
        var done = Mdiflow("complete", id, "--step", "portal", "--evidence", "created", "--as", "bob");

        taken.ExitCode.Should().Be(0, taken.ToString());
        taken.Stdout.Should().Contain("alice (asserted) took the task at instance");
        byBob.ExitCode.Should().Be(5, byBob.ToString());
        byBob.Stderr.Should().Contain("is assigned to alice; only they may complete or reject it until it is unassigned.");
        shown.Stdout.Should().Contain("(assigned to alice)");
        givenBack.ExitCode.Should().Be(0, givenBack.ToString());
        done.ExitCode.Should().Be(0, done.ToString());
        var kinds = Workspace.Json(Mdiflow("audit", id, "--json"))["entries"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        kinds.Should().ContainInOrder("gate.assigned", "gate.unassigned", "gate.satisfied");
    }

    public void Dispose() => _ws.Dispose();
}
