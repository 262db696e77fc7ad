using MdiFlow.Plugins.DefenderForIdentity.Auditing;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Auditing;

public sealed class AuditingActivitiesTests
{
    private static readonly AuditScope DomainController = new(true, false, false, false);
    private readonly FakeHostFacts _host = new();
    private readonly FakeAuditSettings _settings = new();

    [Fact]
    public async Task A_fully_configured_domain_controller_passes_every_configuration()
    {
        _settings.Facts = AuditRules.Compliant(DomainController);

        var output = (await new CheckAuditingActivity(_host, _settings).RunAsync(new { })).ShouldComplete<CheckAuditingOutput>();

        output.Compliant.Should().BeTrue();
        output.Configurations.Should().Equal("AdvancedAuditPolicyDCs", "NTLMAuditing", "DomainObjectAuditing", "ConfigurationContainerAuditing", "AdfsAuditing");
        output.Summary.Should().Be("none");
    }

    [Fact]
    public async Task Missing_ntlm_auditing_fails_the_check_with_the_gpo_settings_and_set_mdiconfiguration()
    {
        _settings.Facts = AuditRules.Compliant(DomainController) with { NtlmAuditing = [] };

        var error = (await new CheckAuditingActivity(_host, _settings).RunAsync(new { })).ShouldFail("mdi.auditingIncomplete");

        error.Message.Should().Contain("NTLMAuditing: Network security: Restrict NTLM: Audit Incoming NTLM Traffic (AuditReceivingNTLMTraffic) is not set").And.Contain("detections are blind");
        error.Fix.Should().Contain("Outgoing NTLM traffic to remote servers to Audit all").And.Contain("Set-MDIConfiguration -Mode Domain -Configuration NTLMAuditing");
        error.Details!["AdvancedAuditPolicyDCs"].Should().Be("pass: every subcategory audits Success and Failure");
    }

    [Fact]
    public async Task In_report_mode_the_check_completes_with_what_is_missing_for_the_apply_step()
    {
        _settings.Facts = AuditRules.Compliant(DomainController) with { NtlmAuditing = [] };

        var output = (await new CheckAuditingActivity(_host, _settings).RunAsync(new { mode = "report" })).ShouldComplete<CheckAuditingOutput>();

        output.Compliant.Should().BeFalse();
        output.Missing.Should().Equal("NTLMAuditing");
        output.Summary.Should().StartWith("NTLMAuditing: ").And.Contain("Fix: ");
    }

    [Fact]
    public async Task An_entra_connect_server_is_checked_for_audit_logon_only()
    {
        _host.Server = Servers.AdfsServer2022 with { Roles = ["entraConnect"] };
        _settings.Facts = new AuditFacts { AdvancedAuditPolicy = [new AuditPolicySetting("{0CCE9215-69AE-11D9-BED3-505054503030}", "Audit Logon", 1)] };

        var error = (await new CheckAuditingActivity(_host, _settings).RunAsync(new { })).ShouldFail("mdi.auditingIncomplete");

        error.Message.Should().Contain("EntraConnectAuditing: Audit Logon (Logon/Logoff) is Success only");
        _settings.Scopes.Should().Equal(new AuditScope(false, false, false, true));
    }

    [Fact]
    public async Task Applying_changes_only_what_is_missing_and_records_it_before_and_after()
    {
        _settings.Facts = AuditRules.Compliant(DomainController) with { NtlmAuditing = [], AdvancedAuditPolicy = [] };

        var output = (await new ApplyAuditingActivity(_host, _settings).RunAsync(new { configurations = new[] { "NTLMAuditing", "AdvancedAuditPolicyDCs", "DomainObjectAuditing" }, identity = @"CONTOSO\mdiSvc01$" })).ShouldComplete<ApplyAuditingOutput>();

        _settings.Applied.Should().ContainSingle().Which.Should().BeEquivalentTo(new AuditApplyRequest(["AdvancedAuditPolicyDCs", "NTLMAuditing"], "Domain", @"CONTOSO\mdiSvc01$"));
        output.Applied.Should().Equal("AdvancedAuditPolicyDCs", "NTLMAuditing");
        output.Before.Select(f => (f.Configuration, f.Status)).Should().Equal(("AdvancedAuditPolicyDCs", FactStatus.Fail), ("NTLMAuditing", FactStatus.Fail), ("DomainObjectAuditing", FactStatus.Pass));
        output.After.Should().OnlyContain(f => f.Status == FactStatus.Pass);
    }

    [Fact]
    public async Task Settings_that_do_not_take_are_a_retryable_failure_with_before_and_after_in_the_details()
    {
        _settings.Facts = AuditRules.Compliant(DomainController) with { NtlmAuditing = [] };
        _settings.ApplyHasNoEffect = true;

        var error = (await new ApplyAuditingActivity(_host, _settings).RunAsync(new { configurations = new[] { "NTLMAuditing" } })).ShouldFail("mdi.auditingNotApplied");

        error.Permanent.Should().BeFalse();
        error.Fix.Should().Contain("gpupdate /target:computer /force");
        error.Details.Should().ContainKeys("before.NTLMAuditing", "after.NTLMAuditing");
    }

    [Fact]
    public async Task A_configuration_that_does_not_apply_to_the_server_is_an_invalid_input()
    {
        var error = (await new ApplyAuditingActivity(_host, _settings).RunAsync(new { configurations = new[] { "CAAuditing" } })).ShouldFail("activity.invalidInput");

        error.Message.Should().Contain("'configurations' names CAAuditing, which do not apply to this server");
        _settings.Applied.Should().BeEmpty();
    }

    [Fact]
    public async Task Off_windows_the_auditing_steps_fail_with_host_unsupported()
    {
        var error = (await new CheckAuditingActivity(_host, new UnsupportedAuditSettings()).RunAsync(new { })).ShouldFail("host.unsupported");

        error.Message.Should().StartWith("Step 'step' (mdi.checkAuditing) must run on the Windows server being deployed.");
    }

    private sealed class FakeAuditSettings : IAuditSettings
    {
        public AuditFacts Facts { get; set; } = new();

        public bool ApplyHasNoEffect { get; set; }

        public List<AuditApplyRequest> Applied { get; } = [];

        public List<AuditScope> Scopes { get; } = [];

        public ValueTask<AuditFacts> ReadAsync(AuditScope scope, CancellationToken cancellationToken)
        {
            Scopes.Add(scope);
            return ValueTask.FromResult(Facts);
        }

        public ValueTask<AuditApplyResult> ApplyAsync(AuditApplyRequest request, CancellationToken cancellationToken)
        {
            Applied.Add(request);
            if (!ApplyHasNoEffect)
            {
                Facts = AuditRules.Apply(Facts, request.Configurations, DomainController);
            }

            return ValueTask.FromResult(new AuditApplyResult(request.Configurations, [$"Set-MDIConfiguration -Mode {request.Mode} -Configuration {string.Join(',', request.Configurations)}"]));
        }
    }
}
