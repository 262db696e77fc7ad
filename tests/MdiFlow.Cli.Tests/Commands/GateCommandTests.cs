using MdiFlow.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace MdiFlow.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class GateCommandTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    private string Workflow(string gate = "\"approvers\": [\"group:change-board\"], \"minApprovals\": 2") => _ws.Write("gated.json", $$$"""
        { "id": "gated", "steps": [
          { "id": "check", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo licence-ok"] } },
          { "id": "board", "uses": "approval", "with": { {{{gate}}}, "instructions": "Check said {{ steps.check.output.stdoutTail }}" } },
          { "id": "install", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo ran >> install.count"] } } ] }
        """);

    private CliResult Mdiflow(params string[] args) => cli.Mdiflow(_ws.Root, [.. args, "--store", _ws.Store]);

    private string StartLab(string requester = "alice")
    {
        _ws.Write("mdiflow.policy.json", """{ "groups": { "change-board": ["bob", "carol", "dave"] } }""");
        var run = Mdiflow("run", Workflow(), "--lab", "--as", requester, "--json");
        run.ExitCode.Should().Be(10, run.ToString());
        return Workspace.Json(run)["instanceId"]!.GetValue<string>();
    }

    [Fact]
    public void A_run_waits_at_the_gate_and_after_two_distinct_approvals_resume_runs_the_next_step()
    {
        var id = StartLab();
        var show = Workspace.Json(Mdiflow("show", id, "--json"));
        show["status"]!.GetValue<string>().Should().Be("waiting");
        show["waitingAt"]!["step"]!.GetValue<string>().Should().Be("board");
        show["waitingAt"]!["details"]!["instructions"]!.GetValue<string>().Should().Be("Check said licence-ok");
        show["lease"].Should().BeNull("a waiting instance holds no process");
        Mdiflow("list", "--status", "waiting").Stdout.Should().Contain("waits for 2 more approval(s) of 2 from group:change-board");

        Mdiflow("approve", id, "--as", "bob", "--comment", "ok").ExitCode.Should().Be(0);
        var twice = Mdiflow("approve", id, "--as", "bob");
        twice.ExitCode.Should().Be(0);
        twice.Stdout.Should().Contain("an approval counts once");
        Workspace.Json(Mdiflow("show", id, "--json"))["status"]!.GetValue<string>().Should().Be("waiting");
        var second = Mdiflow("approve", id, "--as", "carol");
        second.Stdout.Should().Contain("it is now ready");
        _ws.Lines("install.count").Should().BeEmpty();

        var resumed = Mdiflow("resume", id);

        resumed.ExitCode.Should().Be(0, resumed.ToString());
        _ws.Lines("install.count").Should().HaveCount(1);
        var audit = Workspace.Json(Mdiflow("audit", id, "--json"));
        audit["entries"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "gate.decided").Select(e => e!["actor"]!.GetValue<string>())
            .Should().Equal("bob", "carol");
        audit["entries"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "gate.decided").Select(e => e!["actorSource"]!.GetValue<string>())
            .Should().AllBe("asserted");
    }

    [Fact]
    public void The_requester_and_non_members_are_refused_and_a_rejection_ends_the_instance()
    {
        var id = StartLab(requester: "bob");

        var own = Mdiflow("approve", id, "--as", "bob");
        own.ExitCode.Should().Be(5);
        own.Stderr.Should().Contain("bob started instance").And.Contain("cannot approve it");
        var stranger = Mdiflow("approve", id, "--as", "mallory");
        stranger.ExitCode.Should().Be(5);
        stranger.Stderr.Should().Contain("mallory may not decide step 'board'");

        Mdiflow("reject", id, "--as", "dave", "--reason", "change freeze").ExitCode.Should().Be(0);
        var resumed = Mdiflow("resume", id);
        resumed.ExitCode.Should().Be(21, resumed.ToString());
        Workspace.Json(Mdiflow("show", id, "--json"))["status"]!.GetValue<string>().Should().Be("rejected");
    }

    [Fact]
    public void As_on_an_instance_that_is_not_a_rehearsal_is_refused()
    {
        _ws.Write("mdiflow.policy.json", """{ "groups": { "change-board": ["bob", "carol"] } }""");
        var run = Mdiflow("run", Workflow(), "--json");
        run.ExitCode.Should().Be(10, run.ToString());
        var id = Workspace.Json(run)["instanceId"]!.GetValue<string>();

        var asserted = Mdiflow("approve", id, "--as", "bob");

        asserted.ExitCode.Should().Be(5);
        asserted.Stderr.Should().Contain("--as is accepted only for rehearsal instances");
        Mdiflow("run", Workflow(), "--as", "bob").ExitCode.Should().Be(5);
    }

    [Fact]
    public async Task Two_processes_approving_at_once_are_both_recorded_and_the_gate_opens_once()
    {
        var id = StartLab();
        var bob = cli.Start(_ws.Root, "approve", id, "--as", "bob", "--store", _ws.Store);
        var carol = cli.Start(_ws.Root, "approve", id, "--as", "carol", "--store", _ws.Store);
        await Task.WhenAll(bob.WaitForExitAsync(), carol.WaitForExitAsync());

        bob.ExitCode.Should().Be(0);
        carol.ExitCode.Should().Be(0);
        var kinds = Workspace.Json(Mdiflow("audit", id, "--json"))["entries"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        kinds.Count(k => k == "gate.decided").Should().Be(2);
        kinds.Count(k => k == "gate.satisfied").Should().Be(1);
        Workspace.Json(Mdiflow("show", id, "--json"))["status"]!.GetValue<string>().Should().Be("ready");
        bob.Dispose();
        carol.Dispose();
    }

    [Fact]
    public async Task A_gate_past_a_short_real_expiry_is_rejected_by_the_worker()
    {
        _ws.Write("mdiflow.policy.json", """{ "groups": { "change-board": ["bob"] } }""");
        var run = Mdiflow("run", Workflow("\"approvers\": [\"group:change-board\"], \"expiresAfter\": \"PT1S\""), "--json");
        run.ExitCode.Should().Be(10, run.ToString());
        var id = Workspace.Json(run)["instanceId"]!.GetValue<string>();

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // The expiry is real time by design of this test.
        var worker = Mdiflow("worker", "--once");

        worker.ExitCode.Should().Be(0, worker.ToString());
        Workspace.Json(Mdiflow("show", id, "--json"))["status"]!.GetValue<string>().Should().Be("rejected");
        Mdiflow("resume", id).ExitCode.Should().Be(21);
    }

    [Fact]
    public void A_policy_floor_of_two_beats_a_workflow_asking_for_one()
    {
        _ws.Write("mdiflow.policy.json", """{ "groups": { "change-board": ["bob", "carol"] }, "gates": { "minApprovals": 2 } }""");
        var run = Mdiflow("run", Workflow("\"approvers\": [\"group:change-board\"], \"minApprovals\": 1"), "--lab", "--as", "alice", "--json");
        var id = Workspace.Json(run)["instanceId"]!.GetValue<string>();

        Mdiflow("approve", id, "--as", "bob").Stdout.Should().Contain("it is now waiting");
        Mdiflow("approve", id, "--as", "carol").Stdout.Should().Contain("it is now ready");
    }

    [Fact]
    public void The_journal_exports_as_json_lines_that_reverify_on_their_own()
    {
        var id = StartLab();
        Mdiflow("approve", id, "--as", "bob").ExitCode.Should().Be(0);

        var export = Mdiflow("audit", id, "--jsonl");

        export.ExitCode.Should().Be(0);
        var entries = export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => System.Text.Json.Nodes.JsonNode.Parse(line)!).Select(n => new MdiFlow.Journal.JournalEntry(
            n["seq"]!.GetValue<long>(), n["at"]!.GetValue<DateTimeOffset>(), n["kind"]!.GetValue<string>(), n["actor"]!.GetValue<string>(),
            n["actorSource"]!.GetValue<string>(), n["step"]?.GetValue<string>(), n["dataText"]?.GetValue<string>(), n["previousHash"]!.GetValue<string>(), n["hash"]!.GetValue<string>())).ToList();
        entries.Should().Contain(e => e.Kind == "gate.decided" && e.Actor == "bob");
        MdiFlow.Journal.JournalChain.Verify(entries).Should().BeNull();
        MdiFlow.Journal.JournalChain.Verify([.. entries.Select((e, i) => i == 2 ? e with { Actor = "mallory" } : e)])!.Seq.Should().Be(3);
    }

    [Theory]
    [InlineData("UPDATE journal SET actor = 'mallory' WHERE seq = 4", 4)]
    [InlineData("DELETE FROM journal WHERE seq = 3", 4)]
    [InlineData("UPDATE journal SET seq = -1 WHERE seq = 5; UPDATE journal SET seq = 5 WHERE seq = 6; UPDATE journal SET seq = 6 WHERE seq = -1;", 5)]
    public void Editing_deleting_or_reordering_journal_rows_makes_audit_verify_fail_at_the_first_broken_entry(string tamper, int firstBroken)
    {
        var id = StartLab();
        Mdiflow("audit", id, "--verify").ExitCode.Should().Be(0, "an untouched journal verifies");
        using (var connection = new SqliteConnection($"Data Source={_ws.StorePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // A tamperer with write access to the file can drop the append-only triggers; the hash chain still catches it.
            command.CommandText = "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger'";
            var drops = new List<string>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    drops.Add(reader.GetString(0));
                }
            }

            command.CommandText = string.Concat(drops) + tamper;
            command.ExecuteNonQuery();
        }

        var audit = Mdiflow("audit", id, "--verify");

        audit.ExitCode.Should().Be(3, audit.ToString());
        audit.Stdout.Should().Contain($"is broken at entry {firstBroken}");
    }

    public void Dispose() => _ws.Dispose();
}
