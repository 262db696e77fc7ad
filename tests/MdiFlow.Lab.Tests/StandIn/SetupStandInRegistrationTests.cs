using MdiFlow.Lab.Servers;
using MdiFlow.Lab.StandIn;
using MdiFlow.Lab.Tests.Support;

namespace MdiFlow.Lab.Tests.StandIn;

public sealed class SetupStandInRegistrationTests
{
    [Fact]
    public async Task A_registration_the_service_refuses_ends_in_1602_with_LicenseInvalid_in_the_deployer_log()
    {
        await using var test = await TestLab.StartAsync("installer-license-invalid");
        var (setup, keyFile) = test.Prepare();

        var code = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}");

        code.Should().Be(1602);
        test.Log(SetupHarness.Deployer).Should().Contain("ValidateCreateSensorAsync returned [validateCreateSensorResult=LicenseInvalid]")
            .And.Contain("Engine.Quit [deploymentResultStatus=1602 isRestartRequired=False]");
        test.Log(SetupHarness.Bundle).Should().Contain("validateCreateSensorResult=LicenseInvalid").And.Contain("Shutting down, exit code: 0x642");
        (await test.Lab.HostFacts.GetSensorAsync(default)).Installed.Should().BeFalse();
        test.Lab.InstallCount.Should().Be(0);
    }

    [Fact]
    public async Task A_proxy_answering_403_to_the_sensor_api_ends_in_1602_LicenseInvalid()
    {
        await using var test = await TestLab.StartAsync("proxy-denies-sensor-api");
        var (setup, keyFile) = test.Prepare();

        var code = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}", $"ProxyUrl={test.Lab.ProxyAddress}");

        code.Should().Be(1602);
        test.Log(SetupHarness.Deployer).Should().Contain("validateCreateSensorResult=LicenseInvalid").And.Contain("HTTP 403");
        test.Lab.Requests.Should().ContainSingle().Which.Should().Match<LabRequest>(r => r.Server == LabServer.Proxy && r.Status == 403);
    }

    [Fact]
    public async Task Behind_an_authenticating_proxy_the_setup_needs_ProxyUrl_and_its_credentials()
    {
        await using var test = await TestLab.StartAsync("proxy-required");
        var (setup, keyFile) = test.Prepare();
        var proxy = test.Lab.ProxyAddress.ToString();

        var direct = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}");
        var anonymous = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}", $"ProxyUrl={proxy}");
        var authenticated = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}", $"ProxyUrl={proxy}", "ProxyUserName=svc-mdiproxy", "ProxyUserPassword=Lab-Proxy-Passw0rd");

        direct.Should().Be(SetupExitCodes.MsiFailed);
        anonymous.Should().Be(1602);
        authenticated.Should().Be(0);
        test.Lab.Requests.Where(r => r.Server == LabServer.SensorApi).Should().Contain(r => r.Dropped && !r.ViaProxy).And.Contain(r => r.Status == 200 && r.ViaProxy);
        test.Logs().Values.Should().AllSatisfy(text => text.Should().NotContain("Lab-Proxy-Passw0rd"));
        test.Lab.InstallCount.Should().Be(1);
    }

    [Fact]
    public async Task Without_connectivity_the_msi_fails_with_0x80070643()
    {
        await using var test = await TestLab.StartAsync("healthy-dc", p => p["connectivity"]!["sensorApi"] = "blocked");
        var (setup, keyFile) = test.Prepare();

        var code = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}");

        code.Should().Be(unchecked((int)0x80070643));
        test.Log(SetupHarness.Bundle).Should().Contain("Error 0x80070643: Failed to install MSI package.");
        test.Log(SetupHarness.MsiPackage).Should().Contain("Installation failed");
    }

    [Fact]
    public async Task A_key_that_is_no_longer_the_workspaces_is_refused_and_the_regenerated_one_installs()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var (setup, oldKeyFile) = test.Prepare();
        var (_, fresh, _) = await test.Graph().PostJsonAsync("v1.0/security/identities/sensors/regenerateDeploymentAccessKey");
        var newKeyFile = test.Temp.Combine("new-key.txt");
        await File.WriteAllTextAsync(newKeyFile, fresh["deploymentAccessKey"]!.GetValue<string>());

        var stale = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={oldKeyFile}");
        var current = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={newKeyFile}");

        stale.Should().Be(1602);
        current.Should().Be(0);
        test.Logs().Values.Should().AllSatisfy(text => text.Should().NotContain(fresh["deploymentAccessKey"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_tenant_without_a_Defender_for_Identity_licence_cannot_register_a_sensor()
    {
        await using var test = await TestLab.StartAsync("no-licence");
        var (setup, keyFile) = test.Prepare();

        var code = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}");

        code.Should().Be(1602);
        test.Log(SetupHarness.Deployer).Should().Contain("no enabled Defender for Identity licence");
    }

    [Fact]
    public async Task On_a_flaky_network_the_setup_retries_its_call_and_installs()
    {
        await using var test = await TestLab.StartAsync("flaky-network");
        var (setup, keyFile) = test.Prepare();

        var code = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}");

        code.Should().Be(0);
        test.Lab.Requests.Where(r => r.Server == LabServer.SensorApi).Select(r => r.Dropped).Should().Equal(true, true, false);
    }
}
