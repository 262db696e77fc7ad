using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Lab;

[Collection(CliCollection.Name)]
public sealed class DeploymentRehearsalTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    private Rehearsal Lab => _lab ??= new Rehearsal(cli, _ws);

    private Rehearsal? _lab;

    [Fact]
    public void The_deployment_completes_on_a_healthy_domain_controller_with_the_gate_approved_by_another_identity()
    {
        var (id, run) = Lab.Start("healthy-dc");
        run.ExitCode.Should().Be(10, run.ToString());
        var show = JsonNode.Parse(Lab.Mdiflow("show", id, "--json").Stdout)!;
        show["waitingAt"]!["step"]!.GetValue<string>().Should().Be("portal");

        var done = Lab.Drive(id, run);

        done.ExitCode.Should().Be(0, done.ToString());
        var steps = JsonNode.Parse(Lab.Mdiflow("show", id, "--json").Stdout)!["steps"]!.AsArray();
        steps.Select(s => s!["status"]!.GetValue<string>()).Should().AllSatisfy(status => status.Should().BeOneOf("completed", "skipped"), "a step of a path not taken is skipped");
        steps.Single(s => s!["id"]!.GetValue<string>() == "changeBoard")!["output"]!["approvedBy"]![0]!.GetValue<string>().Should().Be("bob");
        steps.Single(s => s!["id"]!.GetValue<string>() == "server")!["output"]!["sensorKind"]!.GetValue<string>().Should().Be("sensor");
        Lab.InstallCount(id).Should().Be(1);
        Lab.Completions(id).Values.Should().AllSatisfy(count => count.Should().Be(1));
    }

    [Theory]
    [InlineData("no-licence", "licence", "mdi.noLicense")]
    [InlineData("reader-role-only", "role", "mdi.noAdminRole")]
    [InlineData("nic-teaming-winpcap", "nicTeaming", "mdi.nicTeamingWinPcap")]
    [InlineData("gmsa-not-ready", "serviceAccount", "mdi.kdsRootKeyMissing")]
    [InlineData("proxy-denies-sensor-api", "connectivity", "probe.proxyDenied")]
    [InlineData("installer-license-invalid", "install", "install.licenseInvalid")]
    public void A_failing_profile_fails_at_the_right_step_with_the_documented_fix_and_resumes_once_fixed(string profile, string step, string? code)
    {
        var (id, run) = Lab.Start(profile);
        var failed = Lab.Drive(id, run);

        failed.ExitCode.Should().Be(20, failed.ToString());
        var show = JsonNode.Parse(Lab.Mdiflow("show", id, "--json").Stdout)!;
        var failedStep = show["steps"]!.AsArray().Single(s => s!["status"]!.GetValue<string>() == "failed")!;
        failedStep["id"]!.GetValue<string>().Should().Be(step);
        if (code is not null)
        {
            failedStep["error"]!["code"]!.GetValue<string>().Should().Be(code);
        }

        failedStep["error"]!["fix"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace("the message must say what the documentation says to do");
        var before = Lab.Completions(id);
        before.Values.Where(count => count != 1).Should().BeEmpty();

        var fixedRun = Lab.Drive(id, Lab.Mdiflow("resume", id, "--lab", "healthy-dc"));

        fixedRun.ExitCode.Should().Be(0, fixedRun.ToString());
        var after = Lab.Completions(id);
        after.Values.Should().AllSatisfy(count => count.Should().Be(1), "no completed step runs again");
        before.Keys.Should().BeSubsetOf(after.Keys, "what completed before the fix is still recorded, once");
    }

    [Theory]
    [InlineData("dedicated-server")]
    [InlineData("nic-teaming-npcap")]
    [InlineData("flaky-network")]
    [InlineData("proxy-required")]
    public void Profiles_that_only_need_the_documented_handling_complete(string profile)
    {
        var (id, run) = Lab.Start(profile);

        var done = Lab.Drive(id, run);

        done.ExitCode.Should().Be(0, done.ToString());
        Lab.InstallCount(id).Should().Be(1);
    }

    [Fact]
    public void The_access_key_appears_nowhere_it_could_leak()
    {
        var (id, run) = Lab.Start("healthy-dc");
        var done = Lab.Drive(id, run);
        done.ExitCode.Should().Be(0, done.ToString());
        Lab.Mdiflow("show", id, "--json");
        Lab.Mdiflow("audit", id, "--json");
        Lab.Mdiflow("list", "--json");
        var key = File.ReadAllText(Path.Combine(Lab.LabState(id), "tenant", "deployment-access-key")).Trim();
        key.Length.Should().BeGreaterThanOrEqualTo(16, "the lab key must be long enough to search for");

        foreach (var output in Lab.Outputs)
        {
            output.Stdout.Should().NotContain(key);
            output.Stderr.Should().NotContain(key);
        }

        foreach (var file in Directory.EnumerateFiles(_ws.Root, "mdiflow.db*"))
        {
            Encoding.UTF8.GetString(File.ReadAllBytes(file)).Should().NotContain(key, $"{Path.GetFileName(file)} must not hold the key");
        }

        foreach (var log in Directory.EnumerateFiles(Path.Combine(Lab.LabState(id), "logs"), "*", SearchOption.AllDirectories))
        {
            File.ReadAllText(log).Should().NotContain(key, $"the installer log {Path.GetFileName(log)} must not hold the key");
        }

        // The stand-in setup checks its own command line and exits 87 if the key is on it; the install passed.
        var install = JsonNode.Parse(Lab.Mdiflow("show", id, "--json").Stdout)!["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "install")!;
        install["output"]!["exitCode"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task Killing_the_run_during_the_install_and_resuming_does_not_install_twice()
    {
        var (id, run) = Lab.Start("healthy-dc");
        run.ExitCode.Should().Be(10);
        Lab.ActUntil(id, "changeBoard"); // every gate before the change board, then its approval: the next resume installs

        // The stand-in setup installs, then holds until released: the run is killed between the install and its commit.
        var counter = Path.Combine(Lab.LabState(id), "host", "install-count");
        var hold = new Dictionary<string, string> { ["MDIFLOW_LAB_HOLD_AFTER_INSTALL"] = _ws.PathOf("never-released") };
        using (var resuming = cli.Start(_ws.Root, hold, "resume", id, "--store", _ws.Store))
        {
            await FileSignal.WaitForAsync(counter, TimeSpan.FromSeconds(60));
            resuming.Kill(entireProcessTree: true);
            await resuming.WaitForExitAsync();
        }

        Lab.InstallCount(id).Should().Be(1);
        JsonNode.Parse(Lab.Mdiflow("show", id, "--json").Stdout)!["status"]!.GetValue<string>().Should().Be("running");

        var resumed = Lab.Mdiflow("resume", id);

        resumed.ExitCode.Should().Be(0, resumed.ToString());
        resumed.Stdout.Should().Contain("recovering an interrupted attempt");
        Lab.InstallCount(id).Should().Be(1, "the installer checks whether the sensor is installed before it runs again");
        var install = JsonNode.Parse(Lab.Mdiflow("show", id, "--json").Stdout)!["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "install")!;
        install["attempts"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public void Two_rehearsals_in_one_store_each_have_their_own_simulated_server()
    {
        var (first, firstRun) = Lab.Start("healthy-dc");
        Lab.Drive(first, firstRun).ExitCode.Should().Be(0, "the first rehearsal installs the sensor on its own simulated server");

        var (second, secondRun) = Lab.Start("installer-license-invalid");
        var failed = Lab.Drive(second, secondRun);

        failed.ExitCode.Should().Be(20, failed.ToString());
        var install = JsonNode.Parse(Lab.Mdiflow("show", second, "--json").Stdout)!["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "install")!;
        install["status"]!.GetValue<string>().Should().Be("failed", "the second rehearsal's server has no sensor yet, whatever the first one did");
        install["error"]!["code"]!.GetValue<string>().Should().Be("install.licenseInvalid");
        Lab.InstallCount(first).Should().Be(1);
        Lab.InstallCount(second).Should().Be(0);
    }

    [Fact]
    public void A_rehearsal_of_a_workflow_with_a_step_that_has_no_double_is_refused_naming_the_step()
    {
        var workflow = _ws.Write("runbook.json", """
            { "id": "runbook", "steps": [
              { "id": "board", "uses": "approval", "with": { "approvers": ["group:change-board"] } },
              { "id": "whoami", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "id > ran-on-the-host"] } } ] }
            """);

        var run = Lab.Mdiflow("run", workflow, "--lab", "--as", "alice");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("step 'whoami' uses 'process.run', which has no rehearsal double");
        File.Exists(_ws.PathOf("ran-on-the-host")).Should().BeFalse();
        var labs = _ws.PathOf(".mdiflow-lab");
        (Directory.Exists(labs) ? Directory.GetDirectories(labs) : []).Should().BeEmpty("nothing was started, so no lab state is left");
    }

    public void Dispose() => _ws.Dispose();
}
