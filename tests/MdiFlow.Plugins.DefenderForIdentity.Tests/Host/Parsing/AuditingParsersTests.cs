using MdiFlow.Plugins.DefenderForIdentity.Auditing;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Host.Parsing;

public sealed class AuditingParsersTests
{
    private static readonly AuditScope DomainController = new(true, false, false, false);

    [Fact]
    public void An_auditpol_backup_gives_every_subcategory_by_guid_and_setting_value_and_skips_the_option_rows()
    {
        var settings = AuditPolicyBackupParser.Parse(Fixture.Text("auditpol-backup.dc01.csv"));

        settings.Should().HaveCount(13);
        settings.Should().ContainEquivalentOf(new AuditPolicySetting("0cce923f-69ae-11d9-bed3-505054503030", "Audit Credential Validation", 3));
        settings.Single(s => s.SubcategoryGuid == "0cce9221-69ae-11d9-bed3-505054503030").Setting.Should().Be(0);
    }

    [Fact]
    public void A_localized_auditpol_backup_is_read_by_position_as_test_mdireadiness_reads_it()
    {
        var settings = AuditPolicyBackupParser.Parse(Fixture.Text("auditpol-backup.de-DE.csv"));

        var findings = AuditRules.Evaluate(DomainController, new AuditFacts { AdvancedAuditPolicy = settings });

        var policy = findings.Single(f => f.Configuration == "AdvancedAuditPolicyDCs");
        policy.Status.Should().Be(FactStatus.Fail);
        policy.Found.Should().Be("Audit Credential Validation (Account Logon) is Success only; Audit Directory Service Changes (DS Access) is No Auditing");
    }

    [Fact]
    public void The_directory_report_of_a_configured_domain_controller_parses_its_sacls_and_passes_every_configuration()
    {
        var facts = AuditingReportParser.Parse(Fixture.Text("AuditingScript.dc-configured.json")) with
        {
            AdvancedAuditPolicy = AuditPolicyBackupParser.Parse(Fixture.Text("auditpol-backup.dc01.csv")),
            NtlmAuditing = [.. AuditSettingsCatalog.NtlmValues.Select(v => new RegistryValueFact(v.Key, v.Name, v.Accepted[0]))],
        };

        var findings = AuditRules.Evaluate(DomainController, facts);

        facts.DomainObjectSacl.Should().HaveCount(6);
        facts.DomainObjectSacl![0].Should().Be(new AuditAce("S-1-1-0", 852331, 1, "bf967aba-0de6-11d0-a285-00aa003049e2", 0x4A));
        facts.DomainObjectSacl[5].Should().Be(new AuditAce("S-1-1-0", 0x000F01FF, 2, null, 0x82));
        facts.ConfigurationContainer!.Present.Should().BeTrue();
        findings.Should().OnlyContain(f => f.Status == FactStatus.Pass);
    }

    [Fact]
    public void Missing_sacl_entries_are_named_and_a_2025_schema_also_needs_delegated_managed_service_accounts()
    {
        var facts = AuditingReportParser.Parse(Fixture.Text("AuditingScript.dc-missing.json"));

        var findings = AuditRules.Evaluate(DomainController, facts);

        var domain = findings.Single(f => f.Configuration == "DomainObjectAuditing");
        domain.Status.Should().Be(FactStatus.Fail);
        domain.Found.Should().Be("no audit entry for Descendant Computer objects, Descendant msDS-ManagedServiceAccount objects, Descendant msDS-GroupManagedServiceAccount objects, Descendant msDS-DelegatedManagedServiceAccount objects");
        domain.Fix.Should().Contain("Set-MDIConfiguration -Mode Domain -Configuration DomainObjectAuditing");
        findings.Single(f => f.Configuration == "ConfigurationContainerAuditing").Status.Should().Be(FactStatus.Fail);
        findings.Single(f => f.Configuration == "AdfsAuditing").Found.Should().StartWith("not needed");
        findings.Single(f => f.Configuration == "AdvancedAuditPolicyDCs").Status.Should().Be(FactStatus.Warn, "the report holds no audit policy");
    }

    [Fact]
    public void An_adfs_servers_report_gives_its_audit_level_and_basic_is_not_verbose()
    {
        var facts = AuditingReportParser.Parse(Fixture.Text("AuditingScript.adfs.json"));

        var findings = AuditRules.Evaluate(new AuditScope(false, true, false, false), facts);

        findings.Select(f => (f.Configuration, f.Status)).Should().Equal(("AdfsAuditing", FactStatus.Pass), ("AdfsVerboseAuditing", FactStatus.Fail));
        findings[1].Fix.Should().Be("On the AD FS server run Set-AdfsProperties -AuditLevel Verbose.");
    }

    [Fact]
    public void A_descriptor_that_ends_early_is_a_format_error()
    {
        var act = () => SecurityDescriptorParser.AuditEntries(Convert.FromBase64String("AQAQgAAAAAAAAAAAFAAAAAAAAAAEAFgAAgAAAAdKKABrAQ0A"));

        act.Should().Throw<FormatException>().WithMessage("The security descriptor ends before byte *");
    }

    [Fact]
    public void A_sid_is_written_as_windows_writes_it()
    {
        byte[] sid = [1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0xDC, 0x43, 0xDD, 0x3B, 0x83, 0x4C, 0x2B, 0x46, 0x82, 0x8E, 0xA7, 0x28, 0x49, 0x06, 0, 0];

        SecurityDescriptorParser.Sid(sid).Should().Be("S-1-5-21-1004356572-1177242755-682069634-1609");
    }
}
