using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Installation;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Installation;

public sealed class InstallSensorRecoveryTests : InstallSensorFixture
{
    [Fact]
    public async Task The_key_file_is_tracked_before_it_exists_and_the_key_and_proxy_password_are_registered_as_secrets()
    {
        Environment.SetEnvironmentVariable("MDIFLOW_TEST_RECOVERY_PROXY", "Pr0xy-Secret!");
        var tracked = new List<(string Path, bool ExistedThen)>();
        var secrets = new List<string>();
        var context = EngineHooks.With(
            Support.Activities.Context(new { packageDirectory = Package.Path, accessKey = Key, proxyUrl = "http://proxy:8080", proxyUserName = "u", proxyPasswordRef = "env:MDIFLOW_TEST_RECOVERY_PROXY" }),
            path => tracked.Add((path, File.Exists(path))),
            secrets.Add);

        (await Activity.ExecuteAsync(context)).ShouldComplete<InstallSensorOutput>();

        var run = Launcher.Runs.Should().ContainSingle().Subject;
        tracked.Should().ContainSingle().Which.Should().Be((Path.GetFullPath(FakeSetupLauncher.AccessKeyFileOf(run)), false));
        secrets.Should().Equal(Key, "Pr0xy-Secret!");
    }

    [Fact]
    public async Task On_recovery_after_the_server_restarted_mid_install_the_installed_sensor_is_kept_and_the_interrupted_log_is_read()
    {
        Host.Sensor = InstalledSensor;
        File.WriteAllText(Path.Combine(Logs.Path, "Azure Advanced Threat Protection Sensor_20250314101532.log"), """
            [0A1C:0B2D][2025-03-14T10:15:32]i001: Burn v3.14.1.8722, Windows v10.0 (Build 20348: Service Pack 0), path: C:\Deploy\Azure ATP sensor Setup.exe
            [0A1C:0B2D][2025-03-14T10:17:02]i319: Applied execute package: MsiPackage, result: 0x0, restart: Initiated
            [0A1C:0B2D][2025-03-14T10:17:03]i007: Restarting computer...
            """);

        var output = (await Activity.RunAsync(Input(), isRecovery: true)).ShouldComplete<InstallSensorOutput>();

        Launcher.Runs.Should().BeEmpty("the sensor is installed: the setup is not run a second time");
        output.AlreadyInstalled.Should().BeTrue();
        output.PreviousAttempt.Should().Contain("Azure Advanced Threat Protection Sensor_20250314101532.log ends without the setup's exit code").And.Contain("the server restarted");
    }

    [Fact]
    public async Task On_recovery_before_the_sensor_got_installed_the_setup_runs_again_and_says_why()
    {
        File.WriteAllText(Path.Combine(Logs.Path, "Azure Advanced Threat Protection Sensor_20250314101532.log"), "[0A1C:0B2D][2025-03-14T10:15:32]i001: Burn v3.14.1.8722\n");

        var output = (await Activity.RunAsync(Input(), isRecovery: true)).ShouldComplete<InstallSensorOutput>();

        Launcher.Runs.Should().ContainSingle();
        output.AlreadyInstalled.Should().BeFalse();
        output.PreviousAttempt.Should().Contain("ends without the setup's exit code");
    }

    [Fact]
    public async Task A_first_attempt_reads_no_earlier_logs()
    {
        File.WriteAllText(Path.Combine(Logs.Path, "Azure Advanced Threat Protection Sensor_20240101080000.log"), "[0A1C:0B2D][2024-01-01T08:00:00]i500: Shutting down, exit code: 0x0\n");

        var output = (await Activity.RunAsync(Input())).ShouldComplete<InstallSensorOutput>();

        output.PreviousAttempt.Should().BeNull();
    }
}
