using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Lab.Servers;
using MdiFlow.Lab.Tests.Support;

namespace MdiFlow.Lab.Tests.Workflows;

/// <summary>The deployment workflow, rehearsed end to end: auditing, Graph's shapes and permissions, restarts.</summary>
public sealed class DeploymentRecoveryTests
{
    [Fact]
    public async Task Missing_auditing_waits_for_approval_then_is_applied_recorded_before_and_after_and_the_check_passes()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("missing-audit-policy");
        await rehearsal.StartInstanceAsync();

        var instance = await rehearsal.DriveAsync();

        instance.Status.Should().Be(InstanceStatus.Completed);
        var report = instance.Steps.Single(s => s.Id == "auditReport").Output!;
        report["missing"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal("AdvancedAuditPolicyDCs", "NTLMAuditing");
        var approval = rehearsal.Gates.Single(g => g.Step == "auditApproval");
        approval.Kind.Should().Be("approval");
        approval.Instructions.Should().Contain("Audit Credential Validation (Account Logon) is Success only").And.Contain("Set-MDIConfiguration -Mode Domain -Configuration AdvancedAuditPolicyDCs")
            .And.Contain("Audit NTLM authentication in this domain to Enable all");
        rehearsal.Gates.Select(g => g.Step).Should().ContainInOrder("auditApproval", "changeBoard");
        var applied = instance.Steps.Single(s => s.Id == "applyAuditing").Output!;
        applied["applied"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("AdvancedAuditPolicyDCs", "NTLMAuditing");
        applied["commands"]![0]!.GetValue<string>().Should().Be(@"Set-MDIConfiguration -Mode Domain -Configuration AdvancedAuditPolicyDCs,NTLMAuditing -Identity CONTOSO\mdiSvc01$");
        applied["before"]!.AsArray().Select(f => f!["status"]!.GetValue<string>()).Should().Equal("fail", "fail");
        applied["after"]!.AsArray().Select(f => f!["status"]!.GetValue<string>()).Should().Equal("pass", "pass");
        instance.Steps.Single(s => s.Id == "auditing").Output!["compliant"]!.GetValue<bool>().Should().BeTrue();
    }

    [Theory]
    [InlineData("healthy-dc")]
    [InlineData("access-key-value-shape")]
    public async Task The_access_key_is_read_from_either_documented_shape_and_the_setup_accepts_it(string profile)
    {
        await using var rehearsal = await EngineRehearsal.StartAsync(profile);
        await rehearsal.StartInstanceAsync();

        var instance = await rehearsal.DriveAsync();

        instance.Status.Should().Be(InstanceStatus.Completed);
        instance.Steps.Single(s => s.Id == "accessKey").Output!["accessKeyRef"]!.GetValue<string>().Should().StartWith("vault:");
        rehearsal.Lab.InstallCount.Should().Be(1, "the stand-in setup registers only with the workspace's current key");
    }

    [Fact]
    public async Task The_licence_check_works_with_LicenseAssignment_Read_All_alone()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("healthy-dc", p => p["tenant"]!["grantedPermissions"] = new JsonArray("LicenseAssignment.Read.All"));
        await rehearsal.StartInstanceAsync();

        await rehearsal.RunAsync();

        var licence = await rehearsal.StepAsync("licence");
        licence.Status.Should().Be(StepStatus.Completed);
        licence.Output!["sku"]!.GetValue<string>().Should().Be("EMSPREMIUM");
        rehearsal.Lab.Requests.Should().Contain(r => r.Target == "/v1.0/subscribedSkus" && r.Status == 200);
    }

    [Fact]
    public async Task An_install_the_servers_own_restart_interrupts_completes_on_resume_with_one_setup_run()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("restart-during-install");
        await rehearsal.StartInstanceAsync();

        var restarted = async () => await rehearsal.DriveAsync();

        await restarted.Should().ThrowAsync<OperationCanceledException>("the server restarted under the run");
        rehearsal.Lab.RestartCount.Should().Be(1);
        (await rehearsal.StepAsync("install")).Status.Should().Be(StepStatus.Running, "the attempt never finished");

        var instance = await rehearsal.DriveAsync();

        instance.Status.Should().Be(InstanceStatus.Completed);
        rehearsal.Lab.InstallCount.Should().Be(1, "the resumed step found the sensor installed and did not run the setup again");
        var install = instance.Steps.Single(s => s.Id == "install");
        install.Attempts.Should().Be(2);
        install.Output!["alreadyInstalled"]!.GetValue<bool>().Should().BeTrue();
        install.Output["previousAttempt"]!.GetValue<string>().Should().Contain("ends without the setup's exit code").And.Contain("the server restarted");
        instance.Steps.Single(s => s.Id == "verify").Status.Should().Be(StepStatus.Completed);
    }

    [Fact]
    public async Task A_pending_restart_stops_before_the_setup_and_once_restarted_the_install_runs_once()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("pending-restart");
        await rehearsal.StartInstanceAsync();

        var failed = await rehearsal.DriveAsync();

        failed.Status.Should().Be(InstanceStatus.Failed);
        var check = failed.Steps.Single(s => s.Id == "restartCheck");
        check.Error!.Code.Should().Be("mdi.restartPending");
        check.Error.Message.Should().Contain("Windows Update (RebootRequired)");
        check.Error.Fix.Should().Contain("Restart DC01");
        rehearsal.Lab.InstallCount.Should().Be(0);

        await rehearsal.UseProfileAsync("healthy-dc");
        var done = await rehearsal.DriveAsync();

        done.Status.Should().Be(InstanceStatus.Completed);
        rehearsal.Lab.InstallCount.Should().Be(1);
    }

    [Fact]
    public async Task The_access_key_reaches_the_setup_only_in_a_file_in_the_sandbox_that_is_gone_afterwards()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("healthy-dc");
        await rehearsal.StartInstanceAsync();

        await rehearsal.DriveAsync();

        Directory.EnumerateFiles(rehearsal.Lab.SandboxDirectory, "mdiflow-accesskey-*", SearchOption.AllDirectories).Should().BeEmpty();
        var key = rehearsal.Lab.Profile.Tenant.DeploymentAccessKey;
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(rehearsal.Store)!, "mdiflow.db*"))
        {
            (await File.ReadAllTextAsync(file)).Should().NotContain(key);
        }

        rehearsal.Lab.Requests.Should().NotContain(r => r.Server == LabServer.Package && r.Status == 403);
    }
}
