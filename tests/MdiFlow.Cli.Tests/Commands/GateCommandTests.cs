using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Commands;

/// <summary>Gates decided by real OS accounts on a shared store, under a policy the administrator installed.</summary>
[Collection(CliCollection.Name)]
public sealed class GateCommandTests(PublishedCli cli) : IDisposable
{
    private const string BoardPolicy = """{ "groups": { "change-board": ["{bob}", "{carol}", "{dave}"] } }""";

    private Board? _board;

    private Board B => _board ??= new Board(cli, BoardPolicy, "bob", "carol", "dave", "mallory");

    private string Workflow(string gate = "\"approvers\": [\"group:change-board\"], \"minApprovals\": 2") => B.Ws.Write("gated.json", $$$"""
        { "id": "gated", "steps": [
          { "id": "check", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo licence-ok"] } },
          { "id": "board", "uses": "approval", "with": { {{{gate}}}, "instructions": "Check said {{ steps.check.output.stdoutTail }}" } },
          { "id": "install", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo ran >> install.count"] } } ] }
        """);

    private string StartAsRoot(string? gate = null)
    {
        var (id, run) = B.Start(null, gate is null ? Workflow() : Workflow(gate));
        run.ExitCode.Should().Be(10, run.ToString());
        return id;
    }

    [RootFact]
    public void A_run_waits_at_the_gate_and_after_two_distinct_approvals_resume_runs_the_next_step()
    {
        var id = StartAsRoot();
        var show = Workspace.Json(B.As(null, "show", id, "--json"));
        show["status"]!.GetValue<string>().Should().Be("waiting");
        show["waitingAt"]!["step"]!.GetValue<string>().Should().Be("board");
        show["waitingAt"]!["details"]!["instructions"]!.GetValue<string>().Should().Be("Check said licence-ok");
        show["lease"].Should().BeNull("a waiting instance holds no process");
        B.As(null, "list", "--status", "waiting").Stdout.Should().Contain("waits for 2 more approval(s) of 2 from group:change-board");

        var first = B.As("bob", "approve", id, "--comment", "ok");
        first.ExitCode.Should().Be(0, first.ToString());
        first.Stdout.Should().MatchRegex("journal head: [0-9a-f]{64} at entry [0-9]+");
        var twice = B.As("bob", "approve", id);
        twice.ExitCode.Should().Be(0);
        twice.Stdout.Should().Contain("an approval counts once");
        var second = B.As("carol", "approve", id);
        second.Stdout.Should().Contain("it is now ready");
        B.Ws.Lines("install.count").Should().BeEmpty();

        var resumed = B.As(null, "resume", id);

        resumed.ExitCode.Should().Be(0, resumed.ToString());
        B.Ws.Lines("install.count").Should().HaveCount(1);
        var decided = Workspace.Json(B.As(null, "audit", id, "--json"))["entries"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "gate.decided").ToList();
        decided.Select(e => e!["actor"]!.GetValue<string>()).Should().Equal(B.People["bob"], B.People["carol"]);
        decided.Select(e => e!["actorSource"]!.GetValue<string>()).Should().AllBe("os");
        decided.Select(e => e!["data"]!["policyHash"]!.GetValue<string>()).Should().AllSatisfy(h => h.Should().MatchRegex("^[0-9a-f]{64}$"));
    }

    [RootFact]
    public void The_requester_and_non_members_are_refused_and_a_rejection_ends_the_instance()
    {
        var (id, run) = B.Start("bob", Workflow());
        run.ExitCode.Should().Be(10, run.ToString());

        var own = B.As("bob", "approve", id);
        own.ExitCode.Should().Be(5);
        own.Stderr.Should().Contain($"{B.People["bob"]} started instance").And.Contain("cannot approve it");
        var stranger = B.As("mallory", "approve", id);
        stranger.ExitCode.Should().Be(5);
        stranger.Stderr.Should().Contain($"{B.People["mallory"]} may not decide step 'board'");
        B.Count("gate.decided", id).Should().Be(0, "refused decisions record nothing");

        B.As("dave", "reject", id, "--reason", "change freeze").ExitCode.Should().Be(0);
        var resumed = B.As("bob", "resume", id);
        resumed.ExitCode.Should().Be(21, resumed.ToString());
        Workspace.Json(B.As(null, "show", id, "--json"))["status"]!.GetValue<string>().Should().Be("rejected");
    }

    [RootFact]
    public void As_on_an_instance_that_is_not_a_rehearsal_is_refused()
    {
        var id = StartAsRoot();

        var asserted = B.As("mallory", "approve", id, "--as", B.People["bob"]);

        asserted.ExitCode.Should().Be(5);
        asserted.Stderr.Should().Contain("asserted names are accepted only on rehearsal instances");
        B.Count("gate.decided", id).Should().Be(0);
        B.As(null, "run", Workflow(), "--as", B.People["bob"]).ExitCode.Should().Be(5);
    }

    [RootFact]
    public async Task Two_processes_approving_at_once_are_both_recorded_and_the_gate_opens_once()
    {
        var id = StartAsRoot();
        var errors = new System.Text.StringBuilder();
        using var bob = B.Launch("bob", errors, "approve", id);
        using var carol = B.Launch("carol", errors, "approve", id);
        await Task.WhenAll(bob.WaitForExitAsync(), carol.WaitForExitAsync());

        bob.ExitCode.Should().Be(0, errors.ToString());
        carol.ExitCode.Should().Be(0, errors.ToString());
        B.Count("gate.decided", id).Should().Be(2);
        B.Count("gate.satisfied", id).Should().Be(1);
        Workspace.Json(B.As(null, "show", id, "--json"))["status"]!.GetValue<string>().Should().Be("ready");
    }

    [RootFact]
    public async Task Two_accounts_opening_a_shared_store_at_the_same_moment_both_write()
    {
        // Each round starts with no process holding the store, so both create its -wal and -shm anew: SQLite gives
        // them the store's mode only just after creating them, and an open in that gap saw them read-only (about one
        // round in twelve failed with "attempt to write a readonly database" before the store waited it out).
        StartAsRoot();
        var workflow = B.Ws.Write("gate-only.json", """{ "id": "gate-only", "steps": [ { "id": "board", "uses": "approval", "with": { "approvers": ["group:change-board"] } } ] }""");
        for (var round = 0; round < 24; round++)
        {
            File.Exists(B.Ws.StorePath + "-shm").Should().BeFalse("round {0} starts with no process holding the store", round);
            var errors = new System.Text.StringBuilder();
            using var bob = B.Launch("bob", errors, "run", workflow);
            using var carol = B.Launch("carol", errors, "run", workflow);
            await Task.WhenAll(bob.WaitForExitAsync(), carol.WaitForExitAsync());

            bob.ExitCode.Should().Be(10, "round {0}: {1}", round, errors);
            carol.ExitCode.Should().Be(10, "round {0}: {1}", round, errors);
        }

        B.Ws.Count("SELECT count(*) FROM instances WHERE workflow_id = 'gate-only'").Should().Be(48);
    }

    [RootFact]
    public async Task A_gate_past_a_short_real_expiry_is_rejected_by_the_worker()
    {
        var id = StartAsRoot("\"approvers\": [\"group:change-board\"], \"expiresAfter\": \"PT1S\"");

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // The expiry is real time by design of this test.
        var worker = B.As(null, "worker", "--once");

        worker.ExitCode.Should().Be(0, worker.ToString());
        Workspace.Json(B.As(null, "show", id, "--json"))["status"]!.GetValue<string>().Should().Be("rejected");
        B.As(null, "resume", id).ExitCode.Should().Be(21);
    }

    [RootFact]
    public void A_policy_floor_of_two_beats_a_workflow_asking_for_one()
    {
        File.WriteAllText(B.Policy.PolicyFile, B.Expand("""{ "groups": { "change-board": ["{bob}", "{carol}"] }, "gates": { "minApprovals": 2 } }"""));
        var id = StartAsRoot("\"approvers\": [\"group:change-board\"], \"minApprovals\": 1");

        B.As("bob", "approve", id).Stdout.Should().Contain("it is now waiting");
        B.As("carol", "approve", id).Stdout.Should().Contain("it is now ready");
    }

    [RootFact]
    public void The_journal_exports_as_json_lines_that_reverify_with_the_key_alone()
    {
        var id = StartAsRoot();
        B.As("bob", "approve", id).ExitCode.Should().Be(0);

        var export = B.As(null, "audit", id, "--jsonl");

        export.ExitCode.Should().Be(0);
        var lines = export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        lines.Should().Contain(e => e["kind"]!.GetValue<string>() == "gate.decided" && e["actor"]!.GetValue<string>() == B.People["bob"]);
        var key = Convert.FromBase64String(File.ReadAllText(B.Policy.KeyFile).Trim().Split(' ')[1]);
        var previous = "";
        foreach (var line in lines)
        {
            line["previousMac"]!.GetValue<string>().Should().Be(previous);
            var mac = DocumentedMac(key, line);
            line["mac"]!.GetValue<string>().Should().Be(mac, $"entry {line["seq"]} must verify from the export and the key");
            previous = mac;
        }

        var forged = (JsonObject)lines[2].DeepClone();
        forged["actor"] = "mallory";
        DocumentedMac(key, forged).Should().NotBe(lines[2]["mac"]!.GetValue<string>(), "an edited entry no longer matches its MAC");
    }

    [RootTheory]
    [InlineData("UPDATE journal SET actor = 'mallory' WHERE seq = 4", "entry 4")]
    [InlineData("DELETE FROM journal WHERE seq = 3", "entry 4")]
    [InlineData("UPDATE journal SET seq = -1 WHERE seq = 5; UPDATE journal SET seq = 5 WHERE seq = 6; UPDATE journal SET seq = 6 WHERE seq = -1;", "entry 5")]
    public void Editing_deleting_or_reordering_journal_rows_makes_audit_verify_fail_at_the_first_broken_entry(string tamper, string firstBroken)
    {
        var id = StartAsRoot();
        B.As(null, "audit", id, "--verify").ExitCode.Should().Be(0, "an untouched journal verifies");
        B.Tamper(tamper);

        var audit = B.As(null, "audit", id, "--verify");

        audit.ExitCode.Should().Be(3, audit.ToString());
        audit.Stdout.Should().Contain($"the journal is broken at {firstBroken}");
    }

    /// <summary>
    /// The MAC as docs/security.md documents it: HMAC-SHA256 under the key over length-prefixed UTF-8 fields
    /// (purpose, instance id, seq, time, kind, actor, actor source, step, data, previous MAC).
    /// </summary>
    private static string DocumentedMac(byte[] key, JsonNode line)
    {
        var fields = new[]
        {
            "mdiflow-journal-v1", line["instanceId"]!.GetValue<string>(), line["seq"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture),
            line["at"]!.GetValue<DateTimeOffset>().ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            line["kind"]!.GetValue<string>(), line["actor"]!.GetValue<string>(), line["actorSource"]!.GetValue<string>(),
            line["step"]?.GetValue<string>() ?? "", line["dataText"]?.GetValue<string>() ?? "", line["previousMac"]!.GetValue<string>(),
        };
        using var buffer = new MemoryStream();
        foreach (var field in fields)
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            buffer.Write(BitConverter.GetBytes(bytes.Length));
            buffer.Write(bytes);
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(key, buffer.ToArray()));
    }

    public void Dispose() => _board?.Dispose();
}
