using MdiFlow.Lab.StandIn;
using MdiFlow.Lab.Tests.Support;

namespace MdiFlow.Lab.Tests.StandIn;

public sealed class SetupStandInOutcomeTests
{
    [Fact]
    public async Task Each_install_is_counted_and_the_installation_survives_a_new_lab_process()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var (setup, keyFile) = test.Prepare();

        var first = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}");
        var second = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}");
        await using var later = await LabEnvironment.StartAsync(new LabOptions
        {
            ProfilePath = Repository.ProfileFile("healthy-dc"),
            StateDirectory = test.Lab.StateDirectory,
            StandInCommand = TestLab.StandInCommand,
        });

        (first, second).Should().Be((0, 0));
        test.Lab.InstallCount.Should().Be(2);
        later.InstallCount.Should().Be(2);
        (await later.HostFacts.GetSensorAsync(default)).Installed.Should().BeTrue();
    }

    [Fact]
    public async Task A_reboot_required_install_exits_3010_with_the_sensor_installed()
    {
        await using var test = await TestLab.StartAsync("healthy-dc", p => p["installer"]!["outcome"] = "rebootRequired");
        var (setup, keyFile) = test.Prepare();

        var code = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}");

        code.Should().Be(3010);
        test.Log(SetupHarness.Bundle).Should().Contain("restart: Required").And.Contain("Shutting down, exit code: 0xbc2");
        (await test.Lab.HostFacts.GetSensorAsync(default)).Installed.Should().BeTrue();
    }

    [Fact]
    public async Task A_failing_msi_exits_0x80070643_and_installs_nothing()
    {
        await using var test = await TestLab.StartAsync("healthy-dc", p => p["installer"]!["outcome"] = "msiFailed");
        var (setup, keyFile) = test.Prepare();

        var code = await test.RunSetupAsync(setup, "/quiet", $"AccessKeyFile={keyFile}");

        code.Should().Be(SetupExitCodes.MsiFailed);
        test.Log(SetupHarness.MsiPackage).Should().Contain("Installation success or error status: 1603.").And.Contain("InstallFinalize. Return value 3.");
        test.Lab.InstallCount.Should().Be(0);
    }
}
