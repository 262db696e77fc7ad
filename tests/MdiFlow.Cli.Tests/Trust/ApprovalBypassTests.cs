using System.Text.Json.Nodes;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Trust;

/// <summary>
/// The ways around a change board that were found, replayed with real OS accounts on a shared store under the policy
/// the administrator installed in /etc/mdiflow: each must be refused, with nothing recorded and nothing run.
/// </summary>
[Collection(CliCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ApprovalBypassTests(PublishedCli cli) : IDisposable
{
    private const string Installed = """{ "groups": { "change-board": ["{bob}", "{carol}"] }, "gates": { "minApprovals": 2 } }""";

    private readonly List<MdiFlow.Testing.TempDirectory> _homes = [];
    private Board? _board;

    private Board B => _board ??= new Board(cli, Installed, "bob", "carol", "mallory");

    private string Gated(string approvers = "[\"group:change-board\"]") => B.Ws.Write("gated.json", $$$"""
        { "id": "gated", "inputs": { "approvers": { "type": "array", "default": {{{approvers}}} } }, "steps": [
          { "id": "board", "uses": "approval", "with": { "approvers": "{{ inputs.approvers }}" } },
          { "id": "install", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "id -u >> install.count"] } } ] }
        """);

    /// <summary>A policy file <paramref name="person"/> wrote for themselves, in a folder of their own (or at <paramref name="path"/>).</summary>
    private string OwnPolicy(string person, string json, string? path = null)
    {
        if (path is null)
        {
            var home = new MdiFlow.Testing.TempDirectory();
            _homes.Add(home);
            Chown(person, home.Path);
            path = home.Combine("policy.json");
        }

        File.WriteAllText(path, B.Expand(json));
        Chown(person, path);
        return path;
    }

    private void Chown(string person, string path)
    {
        using var chown = System.Diagnostics.Process.Start("chown", [B.People[person], path])!;
        chown.WaitForExit();
    }

    [RootFact]
    public void An_outsider_cannot_make_herself_an_approver_with_policy_of_her_own()
    {
        var (id, run) = B.Start(null, Gated());
        run.ExitCode.Should().Be(10, run.ToString());
        const string Hers = """{ "groups": { "change-board": ["{bob}", "{carol}", "{mallory}"] } }""";
        var mine = OwnPolicy("mallory", Hers);

        var byOption = B.As("mallory", "approve", id, "--policy", mine);
        var byVariable = B.As("mallory", new Dictionary<string, string> { ["MDIFLOW_POLICY"] = mine }, "approve", id);
        OwnPolicy("mallory", Hers, B.Ws.PathOf("mdiflow.policy.json"));
        var beside = B.As("mallory", "approve", id);

        foreach (var attempt in new[] { byOption, byVariable })
        {
            attempt.ExitCode.Should().Be(5, attempt.ToString());
            attempt.Stderr.Should().Contain("may only tighten the installed policy").And.Contain($"adds {B.People["mallory"]} to group 'change-board'");
        }

        beside.ExitCode.Should().Be(5, beside.ToString());
        beside.Stderr.Should().Contain("mdiflow.policy.json (beside the store) is refused", "a file anyone in the shared folder could replace is no policy at all");

        B.Count("gate.decided", id).Should().Be(0, "a refused overlay records nothing");
        File.Delete(B.Ws.PathOf("mdiflow.policy.json"));
        B.As("carol", "approve", id).Stdout.Should().Contain("it is now waiting", "carol's approval alone is one of two");
        Workspace.Json(B.As(null, "show", id, "--json"))["status"]!.GetValue<string>().Should().Be("waiting");
        B.Ws.Lines("install.count").Should().BeEmpty();
    }

    [RootFact]
    public void A_requester_cannot_start_under_a_weaker_policy_or_name_herself_the_only_approver()
    {
        var weak = OwnPolicy("carol", """{ "gates": { "minApprovals": 1, "requesterMayApprove": true } }""");

        var weaker = B.As("carol", "run", Gated($"[\"user:{B.People["carol"]}\"]"), "--policy", weak);
        var herself = B.As("carol", "run", Gated($"[\"user:{B.People["carol"]}\"]"));

        weaker.ExitCode.Should().Be(5, weaker.ToString());
        weaker.Stderr.Should().Contain("gates.minApprovals 1 is below the installed 2").And.Contain("would let requesters approve their own changes");
        herself.ExitCode.Should().Be(2, herself.ToString());
        herself.Stderr.Should().Contain("resolve to no one who may approve").And.Contain($"the requester, {B.People["carol"]}, may not approve");
        File.Exists(B.Ws.StorePath).Should().BeFalse("neither attempt stored an instance");

        var twoOfTwo = B.As("carol", "run", Gated());
        twoOfTwo.ExitCode.Should().Be(2, "with carol excluded, one board member is left for a gate that needs two");
        twoOfTwo.Stderr.Should().Contain("needs 2 distinct approvals but only 1 people may approve");

        File.WriteAllText(B.Policy.PolicyFile, B.Expand("""{ "groups": { "change-board": ["{bob}", "{carol}", "{mallory}"] }, "gates": { "minApprovals": 2 } }"""));
        var (id, run) = B.Start("carol", Gated());
        run.ExitCode.Should().Be(10);
        var own = B.As("carol", "approve", id);
        own.ExitCode.Should().Be(5);
        own.Stderr.Should().Contain("cannot approve it");
    }

    [RootFact]
    public void A_gate_that_fails_on_its_own_settings_cannot_be_skipped_to_reach_the_step_it_protects()
    {
        var workflow = B.Ws.Write("broken-gate.json", """
            { "id": "broken-gate", "steps": [
              { "id": "names", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo nobody"] } },
              { "id": "board", "uses": "approval", "with": { "approvers": ["{{ steps.names.output.stdoutTail }}"] } },
              { "id": "install", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "id -u >> install.count"] } } ] }
            """);
        var (id, run) = B.Start(null, workflow);
        run.ExitCode.Should().Be(20, run.ToString());
        run.Stdout.Should().Contain("approval.invalid");

        var skip = B.As(null, "skip", id, "--step", "board", "--reason", "x");

        skip.ExitCode.Should().Be(5, skip.ToString());
        skip.Stderr.Should().Contain("a gate can never be skipped");
        B.As(null, "resume", id).ExitCode.Should().Be(20);
        B.Ws.Lines("install.count").Should().BeEmpty();
    }

    [RootFact]
    public void A_step_before_a_gate_can_be_skipped_only_where_the_policy_allows_it()
    {
        var workflow = B.Ws.Write("checked.json", """
            { "id": "checked", "steps": [
              { "id": "check", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "exit 3"] } },
              { "id": "board", "uses": "approval", "with": { "approvers": ["group:change-board"] } } ] }
            """);
        var (id, _) = B.Start(null, workflow);

        var refused = B.As(null, "skip", id, "--step", "check", "--reason", "trust me");
        File.WriteAllText(B.Policy.PolicyFile, B.Expand("""{ "groups": { "change-board": ["{bob}", "{carol}"] }, "gates": { "minApprovals": 2 }, "skip": { "beforeGate": true } }"""));
        var allowed = B.As(null, "skip", id, "--step", "check", "--reason", "checked by hand");

        refused.ExitCode.Should().Be(5, refused.ToString());
        refused.Stderr.Should().Contain("comes before the gate 'board'").And.Contain("skip.beforeGate is false");
        allowed.ExitCode.Should().Be(0, allowed.ToString());
    }

    [RootFact]
    public void Where_the_policy_switches_rehearsals_off_lab_runs_and_asserted_names_are_refused()
    {
        var rehearsable = B.Ws.Write("rehearsable.json", """{ "id": "rehearsable", "steps": [ { "id": "board", "uses": "approval", "with": { "approvers": ["group:change-board"] } } ] }""");
        var (id, run) = B.Start(null, rehearsable, "--lab", "--as", "alice");
        run.ExitCode.Should().Be(10, run.ToString());
        File.WriteAllText(B.Policy.PolicyFile, B.Expand("""{ "groups": { "change-board": ["{bob}", "{carol}"] }, "rehearsals": { "enabled": false } }"""));

        var lab = B.As(null, "run", rehearsable, "--lab");
        var asserted = B.As(null, "approve", id, "--as", "bob");
        var resume = B.As(null, "resume", id);

        foreach (var refused in new[] { lab, asserted, resume })
        {
            refused.ExitCode.Should().Be(5, refused.ToString());
            refused.Stderr.Should().Contain("switched off on this host by the organisation policy");
        }

        B.Count("gate.decided", id).Should().Be(0);
    }

    [RootFact]
    public void A_worker_running_as_root_does_not_run_work_another_account_started()
    {
        var workflow = B.Ws.Write("whoami.json", """
            { "id": "whoami", "steps": [
              { "id": "board", "uses": "approval", "with": { "approvers": ["group:change-board"] } },
              { "id": "whoami", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "id -u > uid.txt"] } } ] }
            """);
        var (id, run) = B.Start("mallory", workflow);
        run.ExitCode.Should().Be(10, run.ToString());
        B.As("bob", "approve", id).ExitCode.Should().Be(0);
        B.As("carol", "approve", id).ExitCode.Should().Be(0);

        var worker = B.As(null, "worker", "--once");

        worker.ExitCode.Should().Be(0, worker.ToString());
        worker.Stdout.Should().Contain($"{id}: not run").And.Contain($"{B.People["mallory"]} started it");
        File.Exists(B.Ws.PathOf("uid.txt")).Should().BeFalse("root must not run mallory's step");
        B.Count("run.refused", id).Should().Be(1, "the refusal is journaled, once");
        B.As(null, "worker", "--once").ExitCode.Should().Be(0);
        B.Count("run.refused", id).Should().Be(1, "a refusal met again is not journaled again");

        var own = B.As("mallory", "resume", id);
        own.ExitCode.Should().Be(0, own.ToString());
        File.ReadAllText(B.Ws.PathOf("uid.txt")).Trim().Should().NotBe("0", "her own resume runs it with her own rights");
    }

    [RootFact]
    public void A_policy_file_that_others_can_write_is_refused_with_its_path_and_the_fix()
    {
        File.SetUnixFileMode(B.Policy.PolicyFile, (UnixFileMode)0b110_110_110);

        var run = B.As(null, "run", Gated());

        run.ExitCode.Should().Be(5, run.ToString());
        run.Stderr.Should().Contain("/etc/mdiflow/policy.json").And.Contain("can be written by its group or by everyone").And.Contain("chmod go-w");
        File.Exists(B.Ws.StorePath).Should().BeFalse();

        File.SetUnixFileMode(B.Policy.PolicyFile, (UnixFileMode)0b110_100_100);
        var overlay = B.Ws.Write("open.json", """{ "gates": { "minApprovals": 3 } }""");
        File.SetUnixFileMode(overlay, (UnixFileMode)0b110_110_110);
        var tighter = B.As(null, "run", Gated(), "--policy", overlay);
        tighter.ExitCode.Should().Be(5, tighter.ToString());
        tighter.Stderr.Should().Contain(overlay).And.Contain("chmod go-w");
    }

    public void Dispose()
    {
        _homes.ForEach(h => h.Dispose());
        _board?.Dispose();
    }
}
