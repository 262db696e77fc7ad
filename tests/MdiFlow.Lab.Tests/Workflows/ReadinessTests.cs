using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Lab.Tests.Support;

namespace MdiFlow.Lab.Tests.Workflows;

/// <summary>
/// The readiness workflow, rehearsed end to end: each check names its problem and the documented fix, and a failed check
/// (onFailure: continue) does not hide the checks after it.
/// </summary>
public sealed class ReadinessTests
{
    public static TheoryData<string, string, string, string[], string[]> Gaps => new()
    {
        { "server-2012", "server", "mdi.notReady", ["operatingSystem is Microsoft Windows Server 2012 Standard (6.2.9200)"], ["Test-MdiReadiness needs 6.3 or later"] },
        {
            "server-readiness-gaps", "server", "mdi.notReady",
            ["server2019Update is 10.0.17763.253", "memory is 6 GiB", "freeDisk is 5 GiB", "memoryAllocation is Hyper-V with Dynamic Memory", "rootCertificates is neither is installed"],
            ["Install KB4487044", "6 GB of memory", "Free at least 6 GB on the OS disk", "Turn off Enable Dynamic Memory", "DigiCertGlobalRootG2.crt"]
        },
        { "gmsa-not-ready", "serviceAccount", "mdi.kdsRootKeyMissing", ["kdsRootKey: found none", "logOnAsService: found not granted"], ["Add-KdsRootKey -EffectiveImmediately", "User Rights Assignment > Log on as a service"] },
        { "npcap-outdated", "nicTeaming", "mdi.npcapOutdated", ["Npcap 0.9986 is installed; the sensor needs Npcap 1.0 or later"], ["/loopback_support=no /winpcap_mode=yes /admin_only=no"] },
        {
            "missing-audit-policy", "auditing", "mdi.auditingIncomplete",
            ["AdvancedAuditPolicyDCs: Audit Credential Validation (Account Logon) is Success only; Audit Directory Service Changes (DS Access) is No Auditing", "NTLMAuditing:"],
            ["Advanced Audit Policy Configuration > Audit Policies", "Set-MDIConfiguration -Mode Domain -Configuration NTLMAuditing"]
        },
    };

    [Theory]
    [MemberData(nameof(Gaps))]
    public async Task The_readiness_workflow_names_each_checks_problem_and_documented_fix(string profile, string step, string code, string[] problems, string[] fixes)
    {
        await using var rehearsal = await EngineRehearsal.StartAsync(profile);
        await rehearsal.StartInstanceAsync("mdi-readiness");

        var instance = await rehearsal.DriveAsync();

        instance.Status.Should().Be(InstanceStatus.Completed, "every check after the workspace goes on when it fails");
        var failed = instance.Steps.Single(s => s.Status == StepStatus.FailedContinued);
        failed.Id.Should().Be(step);
        failed.Error!.Code.Should().Be(code);
        foreach (var problem in problems)
        {
            failed.Error.Message.Should().Contain(problem);
        }

        foreach (var fix in fixes)
        {
            failed.Error.Fix.Should().Contain(fix);
        }

        instance.Steps.Where(s => s.Id != step).Should().OnlyContain(s => s.Status == StepStatus.Completed || s.Status == StepStatus.Skipped, "every other check passed on this profile");
    }

    [Fact]
    public async Task A_profile_with_three_problems_gets_all_three_reported_in_one_run()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("readiness-three-gaps");
        await rehearsal.StartInstanceAsync("mdi-readiness");

        var instance = await rehearsal.DriveAsync();

        instance.Status.Should().Be(InstanceStatus.Completed);
        instance.Steps.Where(s => s.Status == StepStatus.FailedContinued).Select(s => (s.Id, s.Error!.Code)).Should().Equal(
            ("connectivity", "probe.proxyDenied"), ("auditing", "mdi.auditingIncomplete"), ("nicTeaming", "mdi.nicTeamingWinPcap"));
        instance.Steps.Where(s => s.Status == StepStatus.FailedContinued).Should().OnlyContain(s => !string.IsNullOrEmpty(s.Error!.Fix));
        instance.Steps.Single(s => s.Id == "server").Status.Should().Be(StepStatus.Completed, "a failed connectivity check does not stop the server checks");
        var journal = await rehearsal.Engine.VerifyAsync(instance.Id);
        journal.Verified.Should().BeTrue();
    }

    [Fact]
    public async Task The_tls_values_warn_with_their_registry_fix_on_the_server_gap_profile()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("server-readiness-gaps");
        await rehearsal.StartInstanceAsync("mdi-readiness");

        var instance = await rehearsal.DriveAsync();

        var details = instance.Steps.Single(s => s.Id == "server").Error!.Details!;
        details["tlsSettings"].Should().StartWith("warn: SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319\\SystemDefaultTlsVersions = not set");
        details["operatingSystem"].Should().StartWith("pass");
    }

    [Fact]
    public async Task A_vmware_vm_without_all_its_memory_reserved_fails_with_the_reservation_fix()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("healthy-dc", p => p["server"]!["virtualization"] = new JsonObject { ["platform"] = "VMware Virtual Platform", ["memoryReservationBytes"] = 4294967296L });
        await rehearsal.StartInstanceAsync("mdi-readiness");

        var instance = await rehearsal.DriveAsync();

        var error = instance.Steps.Single(s => s.Id == "server").Error!;
        error.Message.Should().Contain("memoryAllocation is VMware Virtual Platform, 4 GiB of 8 GiB reserved");
        error.Fix.Should().Contain("Reserve all guest memory (All locked)");
    }

    [Fact]
    public async Task A_pending_restart_is_reported_as_a_warning_and_readiness_completes()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("pending-restart");
        await rehearsal.StartInstanceAsync("mdi-readiness");

        var instance = await rehearsal.DriveAsync();

        instance.Status.Should().Be(InstanceStatus.Completed);
        var fact = instance.Steps.Single(s => s.Id == "server").Output!["facts"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "pendingRestart")!;
        fact["status"]!.GetValue<string>().Should().Be("warn");
        fact["note"]!.GetValue<string>().Should().Contain("restart it in a maintenance window");
    }

    [Fact]
    public async Task On_a_v3_eligible_domain_controller_readiness_skips_what_v3_does_not_need()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("sensor-v3-dc");
        await rehearsal.StartInstanceAsync("mdi-readiness");

        var instance = await rehearsal.DriveAsync();

        instance.Status.Should().Be(InstanceStatus.Completed);
        instance.Steps.Where(s => s.Id is "auditing" or "serviceAccount" or "nicTeaming").Should().OnlyContain(s => s.Status == StepStatus.Skipped);
        rehearsal.Gates.Select(g => g.Step).Should().Equal("workspace");
    }
}
