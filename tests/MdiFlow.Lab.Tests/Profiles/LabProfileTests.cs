using System.Text.Json.Nodes;
using MdiFlow.Lab.Profiles;
using MdiFlow.Lab.Tests.Support;
using MdiFlow.Testing;

namespace MdiFlow.Lab.Tests.Profiles;

public sealed class LabProfileTests
{
    public static TheoryData<string> ProfileNames => new(Repository.ProfileFiles.Select(Path.GetFileNameWithoutExtension)!);

    [Theory]
    [MemberData(nameof(ProfileNames))]
    public void Every_profile_file_loads_and_says_what_it_rehearses_and_expects(string name)
    {
        var profile = LabProfile.Load(Repository.ProfileFile(name));

        profile.Name.Should().Be(name);
        profile.Description.Should().StartWith("Rehearses").And.Contain("Expected:");
    }

    [Fact]
    public void The_profiles_required_for_rehearsals_are_all_there_and_built_in()
    {
        string[] required =
        [
            "healthy-dc", "dedicated-server", "no-licence", "reader-role-only", "proxy-required", "nic-teaming-winpcap",
            "nic-teaming-npcap", "flaky-network", "installer-license-invalid", "sensor-v3-dc", "adfs-server", "entra-connect-server",
            "missing-audit-policy", "pending-restart", "restart-during-install", "access-key-value-shape", "package-link-expired",
            "server-2012", "server-readiness-gaps", "gmsa-not-ready", "npcap-outdated",
        ];

        Repository.ProfileFiles.Select(Path.GetFileNameWithoutExtension).Should().Contain(required).And.NotContain("server-2008r2-gmsa", "Windows Server 2008 R2 is no longer a supported sensor OS");
        LabProfile.BuiltInNames.Should().BeEquivalentTo(Repository.ProfileFiles.Select(Path.GetFileNameWithoutExtension));
    }

    [Fact]
    public void A_built_in_profile_loads_by_name()
    {
        var profile = LabProfile.Load("healthy-dc");

        profile.Name.Should().Be("healthy-dc");
        profile.Server.IsDomainController.Should().BeTrue();
    }

    [Fact]
    public void The_profiles_state_the_facts_their_rehearsal_depends_on()
    {
        LabProfile.Load("dedicated-server").Server.DomainRole.Should().Be(3);
        LabProfile.Load("server-2012").Server.OsVersion.Should().StartWith("6.2");
        LabProfile.Load("sensor-v3-dc").Server.DefenderForEndpointOnboarded.Should().BeTrue();
        LabProfile.Load("sensor-v3-dc").Tenant.Identities.SensorCandidates.Should().Contain(c => c.ComputerDnsName == "DC01.contoso.com");
        LabProfile.Load("adfs-server").Server.Roles.Should().Equal("adfs");
        LabProfile.Load("entra-connect-server").Server.Roles.Should().Equal("entraConnect");
        LabProfile.Load("missing-audit-policy").Auditing!.AdvancedAuditPolicy.Should().Contain(p => p.Setting != 3);
        LabProfile.Load("pending-restart").Server.PendingRestart.Should().NotBeEmpty();
        LabProfile.Load("restart-during-install").Installer.Outcome.Should().Be(LabInstallerOutcome.RestartDuringInstall);
        LabProfile.Load("access-key-value-shape").Tenant.Identities.AccessKeyShape.Should().Be(LabAccessKeyShape.Value);
        LabProfile.Load("package-link-expired").Connectivity.PackageDownloadsRefused.Should().Be(1);
        LabProfile.Load("nic-teaming-winpcap").Network.Should().Match<Plugins.DefenderForIdentity.Host.NetworkFacts>(n => n.Teams.Count == 1 && n.WinPcapVersion != null && n.NpcapVersion == null);
        LabProfile.Load("nic-teaming-npcap").Network.Should().Match<Plugins.DefenderForIdentity.Host.NetworkFacts>(n => n.Teams.Count == 1 && n.NpcapVersion != null && n.WinPcapVersion == null);
        LabProfile.Load("installer-license-invalid").Installer.Outcome.Should().Be(LabInstallerOutcome.LicenseInvalid);
        LabProfile.Load("proxy-required").Connectivity.SensorApi.Should().Be(LabSensorApiRoute.ProxyOnly);

        var reader = LabProfile.Load("reader-role-only").Tenant.SignedInUser;
        reader.RoleAssignments.Should().ContainSingle().Which.RoleDefinitionId.Should().Be(Guid.Parse("f2ef992c-3afb-46b9-b7cf-a126ee74c451"));
        reader.MemberOf.Should().Contain(m => m.Id == Guid.Parse("62e90394-69f5-4237-9190-012177145e10") && m.RoleTemplateId == Guid.Parse("f2ef992c-3afb-46b9-b7cf-a126ee74c451"));
    }

    [Fact]
    public void A_profile_that_extends_another_merges_its_objects_and_replaces_its_values_and_arrays()
    {
        var profile = LabProfile.Load("dedicated-server");
        var healthy = LabProfile.Load("healthy-dc");

        profile.Server.ComputerName.Should().Be("MDISENSOR01");
        profile.Server.LogicalProcessors.Should().Be(healthy.Server.LogicalProcessors, "an object's other properties come from the base");
        profile.Network.Adapters.Should().HaveCount(2, "an array replaces the base's");
        profile.Tenant.SubscribedSkus.Should().BeEquivalentTo(healthy.Tenant.SubscribedSkus);
        profile.Tenant.DeploymentAccessKey.Should().NotBe(healthy.Tenant.DeploymentAccessKey);
    }

    [Fact]
    public void Extending_a_profile_that_does_not_exist_names_the_built_in_ones()
    {
        var act = () => LabProfileLoader.Parse("""{ "extends": "no-such-base", "description": "x" }""", "inline", "inline");

        act.Should().Throw<LabProfileException>().Which.Problems.Should().ContainSingle().Which.Should().StartWith("$.extends: 'no-such-base' is neither").And.Contain("healthy-dc");
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_reported_with_the_file_the_json_path_and_the_line()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("broken.json");
        File.WriteAllText(path, File.ReadAllText(Repository.ProfileFile("healthy-dc")).Replace("\"domainRole\": 5", "\"domainRole\": \"five\"", StringComparison.Ordinal));

        var act = () => LabProfile.Load(path);

        act.Should().Throw<LabProfileException>()
            .Which.Message.Should().Contain(path).And.Contain("$.server.domainRole (line 5)").And.NotContain("LineNumber:");
    }

    [Fact]
    public void An_unknown_property_is_refused_with_its_json_path()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("typo.json");
        File.WriteAllText(path, File.ReadAllText(Repository.ProfileFile("healthy-dc")).Replace("\"osCaption\"", "\"osCaptoin\"", StringComparison.Ordinal));

        var act = () => LabProfile.Load(path);

        act.Should().Throw<LabProfileException>().Which.Problems.Should().ContainSingle().Which.Should().Contain("osCaptoin");
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once_each_with_its_json_path()
    {
        var json = JsonNode.Parse(File.ReadAllText(Repository.ProfileFile("healthy-dc")))!;
        json["tenant"]!["workspace"] = "Contoso Corp";
        json["tenant"]!["signedInUser"]!["assignedLicenses"]![0]!["skuPartNumber"] = "SPE_E5";
        json["server"]!["domainRole"] = 9;

        var act = () => LabProfileLoader.Parse(json.ToJsonString(), "inline", "inline");

        act.Should().Throw<LabProfileException>().Which.Problems.Should().BeEquivalentTo(
        [
            "$.server.domainRole: 9 is not a Win32_ComputerSystem.DomainRole (0 to 5; 4 and 5 are domain controllers).",
            "$.tenant.workspace: 'Contoso Corp' is not a workspace name (lower-case letters, digits and hyphens).",
            "$.tenant.signedInUser.assignedLicenses[0].skuPartNumber: 'SPE_E5' is not one of the tenant's subscribedSkus (EMSPREMIUM).",
        ]);
    }

    [Fact]
    public void Unknown_roles_and_sensor_states_are_refused_with_their_json_paths()
    {
        var json = JsonNode.Parse(File.ReadAllText(Repository.ProfileFile("healthy-dc")))!;
        json["server"]!["roles"] = new JsonArray("exchange");
        json["tenant"]!["identities"] = new JsonObject { ["health"] = new JsonObject { ["deploymentStatus"] = "running" } };

        var act = () => LabProfileLoader.Parse(json.ToJsonString(), "inline", "inline");

        act.Should().Throw<LabProfileException>().Which.Problems.Should().BeEquivalentTo(
        [
            "$.server.roles[0]: 'exchange' is not one of adfs, adcs, entraConnect.",
            "$.tenant.identities.health.deploymentStatus: 'running' is not one of upToDate, outdated, updating, updateFailed, notConfigured, unreachable, disconnected, startFailure, syncing.",
        ]);
    }

    [Fact]
    public void A_name_that_is_neither_a_file_nor_a_built_in_profile_lists_the_built_in_ones()
    {
        var act = () => LabProfile.Load("no-such-profile");

        act.Should().Throw<LabProfileException>().Which.Message.Should().Contain("no-such-profile").And.Contain("healthy-dc");
    }
}
