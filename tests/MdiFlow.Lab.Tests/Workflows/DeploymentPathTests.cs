using System.Security.Cryptography;
using MdiFlow.Instances;
using MdiFlow.Lab.Servers;
using MdiFlow.Lab.Tests.Support;

namespace MdiFlow.Lab.Tests.Workflows;

/// <summary>The deployment workflow, rehearsed end to end with the engine in process: which path each server takes.</summary>
public sealed class DeploymentPathTests
{
    private static readonly string[] V2Steps = ["auditReport", "auditing", "serviceAccount", "nicTeaming", "rolePrerequisites", "accessKey", "package", "extract", "restartCheck", "install", "verify"];

    [Fact]
    public async Task A_v3_eligible_domain_controller_is_activated_through_graph_with_no_setup_run_and_no_service_account_step()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("sensor-v3-dc");
        await rehearsal.StartInstanceAsync();

        var instance = await rehearsal.DriveAsync();

        instance.Status.Should().Be(InstanceStatus.Completed);
        rehearsal.Lab.InstallCount.Should().Be(0, "sensor v3.x is activated, not installed");
        instance.Steps.Where(s => V2Steps.Contains(s.Id)).Should().OnlyContain(s => s.Status == StepStatus.Skipped);
        var server = instance.Steps.Single(s => s.Id == "server").Output!;
        server["path"]!.GetValue<string>().Should().Be("sensorV3");
        server["needsServiceAccount"]!.GetValue<bool>().Should().BeFalse();
        instance.Steps.Single(s => s.Id == "activate").Output!["candidateId"]!.GetValue<string>().Should().Be("c0633ebb-8cfb-f17a-0b9e-83aa661f53a3");
        var health = instance.Steps.Single(s => s.Id == "health").Output!;
        health["version"]!.GetValue<string>().Should().StartWith("3.");
        health["healthStatus"]!.GetValue<string>().Should().Be("healthy");
        rehearsal.Lab.Requests.Should().ContainSingle(r => r.Server == LabServer.Graph && r.Method == "POST" && r.Target == "/v1.0/security/identities/sensorCandidates/activate" && r.Status == 200);
        rehearsal.Lab.Requests.Should().NotContain(r => r.Server == LabServer.Package, "no package is downloaded for v3.x");
        rehearsal.Gates.Select(g => g.Step).Should().Equal("portal", "changeBoard");
        rehearsal.Gates.Single(g => g.Step == "changeBoard").Instructions.Should().Contain("sensor v3.x: DC01 is a domain controller on Windows Server 2022").And.Contain("no directory service account");
    }

    [Fact]
    public async Task The_healthy_2022_domain_controller_takes_the_v2_sensor_and_completes_with_one_install()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("healthy-dc");
        await rehearsal.StartInstanceAsync();

        var instance = await rehearsal.DriveAsync();

        instance.Status.Should().Be(InstanceStatus.Completed);
        rehearsal.Lab.InstallCount.Should().Be(1);
        instance.Steps.Single(s => s.Id == "server").Output!["path"]!.GetValue<string>().Should().Be("sensorV2");
        instance.Steps.Where(s => V2Steps.Contains(s.Id)).Should().OnlyContain(s => s.Status == StepStatus.Completed);
        instance.Steps.Where(s => s.Id is "activate" or "auditApproval" or "applyAuditing").Should().OnlyContain(s => s.Status == StepStatus.Skipped);
        instance.Steps.Single(s => s.Id == "install").Output!["exitCode"]!.GetValue<int>().Should().Be(0);
        instance.Steps.Single(s => s.Id == "health").Output!["sensorType"]!.GetValue<string>().Should().Be("domainControllerIntegrated");
        rehearsal.Gates.Select(g => g.Step).Should().Equal("portal", "rolePrerequisites", "changeBoard");
        rehearsal.Gates[0].Instructions.Should().Contain("Unified RBAC").And.NotContain("role groups,", "tenants set permissions in Unified RBAC since March 2025");
    }

    [Theory]
    [InlineData("adfs-server", "adfs", "adfsIntegrated")]
    [InlineData("entra-connect-server", "entraConnect", "adConnectIntegrated")]
    public async Task An_identity_role_server_takes_the_sensor_path_with_its_roles_prerequisites(string profile, string role, string sensorType)
    {
        await using var rehearsal = await EngineRehearsal.StartAsync(profile);
        await rehearsal.StartInstanceAsync();

        var instance = await rehearsal.DriveAsync();

        instance.Status.Should().Be(InstanceStatus.Completed);
        var server = instance.Steps.Single(s => s.Id == "server").Output!;
        server["role"]!.GetValue<string>().Should().Be(role);
        server["path"]!.GetValue<string>().Should().Be("sensorV2");
        server["sensorKind"]!.GetValue<string>().Should().Be("sensor");
        rehearsal.Lab.InstallCount.Should().Be(1);
        instance.Steps.Single(s => s.Id == "health").Output!["sensorType"]!.GetValue<string>().Should().Be(sensorType);
        instance.Steps.Single(s => s.Id == "auditing").Output!["configurations"]!.AsArray().Select(c => c!.GetValue<string>()).Should().NotBeEmpty();
        rehearsal.Gates.Single(g => g.Step == "rolePrerequisites").Instructions.Should().Contain(role == "adfs" ? "AdfsConfiguration" : "ADSync");
    }

    [Fact]
    public async Task A_dedicated_server_takes_the_standalone_sensor_with_its_capture_adapter_and_port_mirroring()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("dedicated-server");
        await rehearsal.StartInstanceAsync();

        var instance = await rehearsal.DriveAsync();

        instance.Status.Should().Be(InstanceStatus.Completed);
        instance.Steps.Single(s => s.Id == "server").Output!["path"]!.GetValue<string>().Should().Be("standalone");
        instance.Steps.Single(s => s.Id == "nicTeaming").Output!["captureAdapters"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("Capture");
        rehearsal.Gates.Single(g => g.Step == "rolePrerequisites").Instructions.Should().Contain("port mirroring");
        rehearsal.Gates.Single(g => g.Step == "changeBoard").Instructions.Should().Contain("standalone sensor: MDISENSOR01 is not a domain controller");
    }

    [Fact]
    public async Task The_package_comes_through_the_labs_graph_and_its_version_and_hash_are_recorded_and_shown_to_the_change_board()
    {
        await using var rehearsal = await EngineRehearsal.StartAsync("healthy-dc");
        await rehearsal.StartInstanceAsync();

        var instance = await rehearsal.DriveAsync();

        var package = instance.Steps.Single(s => s.Id == "package").Output!;
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(package["path"]!.GetValue<string>())));
        package["sha256"]!.GetValue<string>().Should().Be(sha256);
        package["version"]!.GetValue<string>().Should().Be(rehearsal.Lab.Profile.Installer.SensorVersion);
        package["source"]!.GetValue<string>().Should().Be("graph");
        package["path"]!.GetValue<string>().Should().StartWith(rehearsal.Lab.SandboxDirectory, "a rehearsal writes only in its sandbox");
        rehearsal.Lab.Requests.Should().Contain(r => r.Server == LabServer.Graph && r.Target == "/v1.0/security/identities/sensors/getDeploymentPackageUri" && r.Status == 200);
        rehearsal.Lab.Requests.Should().ContainSingle(r => r.Server == LabServer.Package).Which.Status.Should().Be(200, "the package host refuses any request that carries the Graph token");
        rehearsal.Gates.Single(g => g.Step == "changeBoard").Instructions.Should().Contain($"SHA-256 {sha256}").And.Contain($"sensor package {rehearsal.Lab.Profile.Installer.SensorVersion} from graph");
        instance.Steps.Single(s => s.Id == "extract").Status.Should().Be(StepStatus.Completed);
    }
}
