using System.Diagnostics;
using MdiFlow.Lab.Servers;
using MdiFlow.Lab.StandIn;
using MdiFlow.Lab.Tests.Support;

namespace MdiFlow.Lab.Tests.StandIn;

public sealed class SetupStandInCommandLineTests
{
    [Fact]
    public async Task The_documented_switches_install_the_sensor_and_write_the_three_logs_without_the_key()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var (setup, keyFile) = test.Prepare();
        var installPath = test.Temp.Combine("Program Files", "Azure Advanced Threat Protection Sensor");

        var code = await test.RunSetupAsync(setup, "/quiet", "NetFrameworkCommandLineArguments=\"/q\"", $"AccessKeyFile={keyFile}", "DelayedUpdate=true", $"InstallationPath={installPath}");

        code.Should().Be(0);
        var logs = test.Logs();
        logs.Keys.Should().HaveCount(3).And.ContainSingle(n => n.IsMatch(SetupHarness.Bundle))
            .And.ContainSingle(n => n.IsMatch(SetupHarness.MsiPackage)).And.ContainSingle(n => n.IsMatch(SetupHarness.Deployer));
        logs.Values.Should().AllSatisfy(text => text.Should().NotContain(test.Lab.Profile.Tenant.DeploymentAccessKey));
        test.Log(SetupHarness.Bundle).Should().Contain($"Command Line: '/quiet NetFrameworkCommandLineArguments=\"/q\" AccessKeyFile={keyFile} DelayedUpdate=true InstallationPath={installPath}'")
            .And.Contain("Shutting down, exit code: 0x0");
        test.Log(SetupHarness.Deployer).Should().Contain("validateCreateSensorResult=Success").And.Contain("DelayedUpdate=True");
        test.Log(SetupHarness.MsiPackage).Should().Contain("Installation completed successfully");

        var sensor = await test.Lab.HostFacts.GetSensorAsync(default);
        sensor.Installed.Should().BeTrue();
        sensor.InstallPath.Should().Be(installPath);
        sensor.Services.Select(s => (s.Name, s.Running, s.Account)).Should().Equal(("AATPSensor", true, "LocalService"), ("AATPSensorUpdater", true, "LocalSystem"));
        File.Exists(Path.Combine(installPath, sensor.Version!, "Logs", "Microsoft.Tri.Sensor-Errors.log")).Should().BeTrue();
        test.Lab.InstallCount.Should().Be(1);
        test.Lab.Requests.Should().ContainSingle(r => r.Server == LabServer.SensorApi && r.Status == 200 && !r.ViaProxy);
    }

    [Fact]
    public async Task LogsPath_puts_the_logs_there_instead_of_TEMP()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var (setup, keyFile) = test.Prepare();
        var logsPath = test.Temp.Combine("setup-logs");

        var code = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}", $"LogsPath={logsPath}");

        code.Should().Be(0);
        test.Logs(logsPath).Keys.Should().HaveCount(3);
        test.Logs().Should().BeEmpty();
    }

    [Fact]
    public async Task A_parameter_with_a_leading_slash_is_an_unknown_option()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var (setup, _) = test.Prepare();

        var code = await test.RunSetupAsync(setup, "/quiet", "/AccessKey=not-the-key");

        code.Should().Be(SetupExitCodes.InvalidArgument);
        test.Log(SetupHarness.Bundle).Should().Contain("e000: Option /AccessKey is unknown");
        (await test.Lab.HostFacts.GetSensorAsync(default)).Installed.Should().BeFalse();
    }

    [Fact]
    public async Task The_key_on_the_setups_command_line_fails_loudly_with_87_and_never_reaches_a_log()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var (setup, _) = test.Prepare();
        var key = test.Lab.Profile.Tenant.DeploymentAccessKey;

        var code = await test.RunSetupAsync(setup, "/quiet", "NetFrameworkCommandLineArguments=\"/q\"", $"AccessKey={key}");

        code.Should().Be(87);
        test.Log(SetupHarness.Bundle).Should().Contain("The deployment access key is on this process's command line").And.Contain("AccessKey=*****");
        test.Logs().Values.Should().AllSatisfy(text => text.Should().NotContain(key));
        test.Lab.Requests.Should().BeEmpty();
        test.Lab.InstallCount.Should().Be(0);
    }

    [Fact]
    public async Task The_setup_refuses_to_run_from_inside_the_zip()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var (_, keyFile) = test.Prepare();
        var insideZip = Path.Combine(test.Lab.CreateSensorPackage(), "Azure ATP sensor Setup.exe");

        var code = await test.RunSetupAsync(insideZip, "/quiet", $"AccessKeyFile={keyFile}");

        code.Should().Be(SetupExitCodes.FileNotFound);
        test.Log(SetupHarness.Bundle).Should().Contain("Installing from the zip fails: extract the whole package");
    }

    [Fact]
    public async Task The_setup_needs_the_whole_extracted_package_beside_it()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var (setup, keyFile) = test.Prepare();
        var alone = test.Temp.Combine("alone", "Azure ATP sensor Setup.exe");
        Directory.CreateDirectory(Path.GetDirectoryName(alone)!);
        File.Copy(setup, alone);

        var code = await test.RunSetupAsync(alone, "/quiet", $"AccessKeyFile={keyFile}");

        code.Should().Be(SetupExitCodes.FileNotFound);
        test.Log(SetupHarness.Bundle).Should().Contain("SensorInstallationConfiguration.json is missing beside the setup");
    }

    [Fact]
    public async Task A_silent_install_without_a_key_is_refused()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var (setup, _) = test.Prepare();

        var code = await test.RunSetupAsync(setup, "/quiet");

        code.Should().Be(SetupExitCodes.InvalidArgument);
        test.Log(SetupHarness.Bundle).Should().Contain("AccessKey or AccessKeyFile is required");
    }

    [Fact]
    public async Task Run_outside_the_lab_the_stand_in_says_what_it_is_and_exits_1()
    {
        var start = new ProcessStartInfo(TestLab.StandInCommand[0]) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in TestLab.StandInCommand.Skip(1).Append("/quiet"))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in new[] { "MDIFLOW_LAB_STATE", "MDIFLOW_LAB_PROFILE", "MDIFLOW_LAB_SETUP", "MDIFLOW_LAB_SENSOR_API", "MDIFLOW_LAB_RESULT" })
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(1);
        output.Should().Contain("stand-in for the sensor setup").And.Contain("--lab");
    }
}
