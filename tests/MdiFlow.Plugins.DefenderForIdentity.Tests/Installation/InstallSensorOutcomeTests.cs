using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Installation;

/// <summary>How mdi.installSensor reads the setup's exit code and logs.</summary>
public sealed class InstallSensorOutcomeTests : InstallSensorFixture
{
    [Fact]
    public async Task License_invalid_in_the_deployer_log_is_a_refused_registration_with_the_lines_quoted()
    {
        Launcher.Behaviour = invocation =>
        {
            CopyLogs("licenseInvalid", invocation.LogDirectory);
            return 1602;
        };

        var error = (await Activity.RunAsync(Input())).ShouldFail("install.licenseInvalid");

        error.Message.Should().Be("The sensor setup exited with 1602 (0x642) and its log says the cloud service refused to register the sensor: \"[1C60:1AA8][2025-03-14T10:16:13]i000: 2025-03-14 10:16:13.1237 Info  InteractiveDeploymentManager ValidateCreateSensorAsync returned [validateCreateSensorResult=LicenseInvalid]]\".");
        error.Fix.Should().StartWith("This is most often a proxy answering 401/403").And.Contain("then reinstall");
        error.Details!["exitCodeHex"].Should().Be("0x642");
        error.Details["deployerLines"].Should().Contain("[validateCreateSensorResult=LicenseInvalid]]").And.Contain("deploymentResultStatus=1602");
        error.Details["deployerLog"].Should().EndWith("Azure Advanced Threat Protection Microsoft.Tri.Sensor.Deployment.Deployer_20250314101533.log");
    }

    [Fact]
    public async Task Exit_code_1602_is_a_refused_registration_even_when_no_log_says_license_invalid()
    {
        Launcher.Behaviour = _ => 1602;

        var error = (await Activity.RunAsync(Input())).ShouldFail("install.licenseInvalid");

        error.Message.Should().StartWith("The sensor setup exited with 1602 (0x642): the cloud service refused to register the sensor (validateCreateSensorResult=LicenseInvalid).");
    }

    [Fact]
    public async Task Exit_code_0x80070643_is_a_failed_msi_with_the_failing_action_quoted()
    {
        // Windows reports the HRESULT as the unsigned 2147944003; Process.ExitCode gives it as a signed int.
        var exitCode = unchecked((int)2147944003u);
        CopyLogs("old", Logs.Path);
        Launcher.Behaviour = invocation =>
        {
            CopyLogs("msiFailed", invocation.LogDirectory);
            return exitCode;
        };

        var error = (await Activity.RunAsync(Input())).ShouldFail("install.msiFailed");

        error.Message.Should().Be("The sensor setup exited with -2147023293 (0x80070643): the MSI package failed. The msi log says: \"Action ended 11:17:55: INSTALL. Return value 3.\".");
        error.Fix.Should().Contain("retry with 'proxyUrl' (ProxyUrl=)");
        error.Details!["msiLines"].Split('\n').Should().Equal(
            "CustomAction CreateSensorCustomAction returned actual error code 1603 (note this may not be 100% accurate if translation happened inside sandbox)",
            "SFXCA: Failed to create sensor: Unable to connect to the remote server (https://contososensorapi.atp.azure.com/tri/sensor/api/)",
            "Action ended 11:17:55: CreateSensorCustomAction. Return value 3.",
            "Action ended 11:17:55: INSTALL. Return value 3.",
            "MSI (s) (4C:B8) [11:17:55:841]: Windows Installer installed the product. Product Name: Azure Advanced Threat Protection Sensor. Product Version: 2.239.18412.34145. Product Language: 1033. Manufacturer: Microsoft Corporation. Installation success or error status: 1603.");
        error.Details["bundleLines"].Should().Contain("Error 0x80070643: Failed to install MSI package.");
        error.Details.Should().NotContainKey("deployerLog", because: "the deployer log of an earlier run explains that run, not this one");
    }

    [Fact]
    public async Task Secrets_in_quoted_log_lines_are_masked()
    {
        Environment.SetEnvironmentVariable("MDIFLOW_TEST_PROXY_PASSWORD", "Pr0xy-Secret!");
        Launcher.Behaviour = invocation =>
        {
            File.WriteAllText(
                Path.Combine(invocation.LogDirectory, "Azure Advanced Threat Protection Microsoft.Tri.Sensor.Deployment.Deployer_20250314120000.log"),
                $"2025-03-14 12:00:00.0000 Error DeploymentManager Failed with AccessKey={Key} ProxyUserPassword=Pr0xy-Secret!\r\n");
            return 1;
        };

        var error = (await Activity.RunAsync(new { packageDirectory = Package.Path, accessKey = Key, proxyUrl = "http://proxy.contoso.com:8080", proxyUserName = "proxyuser", proxyPasswordRef = "env:MDIFLOW_TEST_PROXY_PASSWORD" })).ShouldFail("install.failed");

        var everything = error.Message + string.Join("\n", error.Details!.Values);
        everything.Should().NotContain(Key).And.NotContain("Pr0xy-Secret!").And.Contain("AccessKey=*** ProxyUserPassword=***");
    }

    [Fact]
    public async Task Another_installation_in_progress_is_retryable()
    {
        Launcher.Behaviour = _ => 1618;

        var error = (await Activity.RunAsync(Input())).ShouldFail("install.busy");

        error.Permanent.Should().BeFalse();
    }
}
