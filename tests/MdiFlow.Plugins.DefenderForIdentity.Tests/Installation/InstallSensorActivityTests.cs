using MdiFlow.Plugins.DefenderForIdentity.Installation;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using MdiFlow.Testing;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Installation;

public sealed class InstallSensorActivityTests : InstallSensorFixture
{
    [Fact]
    public async Task Runs_the_setup_with_the_documented_switches_and_never_the_key_on_the_command_line()
    {
        Environment.SetEnvironmentVariable("MDIFLOW_TEST_PROXY_PASSWORD", "Pr0xy-Secret!");
        var input = new
        {
            packageDirectory = Package.Path,
            accessKey = Key,
            proxyUrl = "http://proxy.contoso.com:8080",
            proxyUserName = @"CONTOSO\proxyuser",
            proxyPasswordRef = "env:MDIFLOW_TEST_PROXY_PASSWORD",
            installationPath = @"D:\MDI",
            delayedUpdate = true,
        };

        var output = (await Activity.RunAsync(input)).ShouldComplete<InstallSensorOutput>();

        var run = Launcher.Runs.Should().ContainSingle().Subject;
        run.SetupPath.Should().Be(Package.Combine("Azure ATP sensor Setup.exe"));
        run.LogDirectory.Should().Be(Logs.Path);
        run.Arguments.Should().Equal(
            "/quiet",
            "NetFrameworkCommandLineArguments=/q",
            "AccessKeyFile=" + FakeSetupLauncher.AccessKeyFileOf(run),
            @"InstallationPath=D:\MDI",
            "ProxyUrl=http://proxy.contoso.com:8080",
            @"ProxyUserName=CONTOSO\proxyuser",
            "ProxyUserPassword=Pr0xy-Secret!",
            "DelayedUpdate=true");
        run.Arguments.Should().NotContain(a => a.Contains(Key, StringComparison.Ordinal));
        run.Arguments.Skip(1).Should().NotContain(a => a.StartsWith('/'), because: "parameters take no leading slash (\"/AccessKey\" fails)");
        output.Should().BeEquivalentTo(new InstallSensorOutput
        {
            ExitCode = 0,
            RebootRequired = false,
            SensorKind = "sensor",
            InstallPath = @"C:\Program Files\Azure Advanced Threat Protection Sensor",
            Version = "2.239.18412.34145",
            AlreadyInstalled = false,
        });
    }

    [Fact]
    public async Task The_access_key_file_exists_only_during_the_run_and_only_its_owner_can_read_it()
    {
        string? seenKey = null;
        UnixFileMode? seenMode = null;
        Launcher.Behaviour = invocation =>
        {
            var file = FakeSetupLauncher.AccessKeyFileOf(invocation);
            seenKey = File.ReadAllText(file);
            seenMode = OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(file);
            return 0;
        };

        await Activity.RunAsync(Input());

        seenKey.Should().Be(Key);
        if (!OperatingSystem.IsWindows())
        {
            seenMode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Exists(FakeSetupLauncher.AccessKeyFileOf(Launcher.Runs.Single())).Should().BeFalse();
    }

    [Fact]
    public async Task The_access_key_file_is_deleted_even_when_the_step_is_cancelled_mid_run()
    {
        Launcher.Behaviour = _ => throw new OperationCanceledException();

        var run = async () => await Activity.RunAsync(Input());

        await run.Should().ThrowAsync<OperationCanceledException>();
        File.Exists(FakeSetupLauncher.AccessKeyFileOf(Launcher.Runs.Single())).Should().BeFalse();
    }

    [Fact]
    public async Task A_key_file_left_by_a_crashed_attempt_is_replaced_then_removed()
    {
        var context = Support.Activities.Context(Input(), isRecovery: true);
        var leftover = AccessKeyFile.PathFor(Path.GetTempPath(), context.InstanceId.Value, context.StepId);
        File.WriteAllText(leftover, "stale");
        string? seenKey = null;
        Launcher.Behaviour = invocation =>
        {
            seenKey = File.ReadAllText(FakeSetupLauncher.AccessKeyFileOf(invocation));
            return 0;
        };

        await Activity.ExecuteAsync(context);

        seenKey.Should().Be(Key);
        File.Exists(leftover).Should().BeFalse();
    }

    [Fact]
    public async Task A_rerun_after_a_crash_finds_the_sensor_installed_and_does_not_launch_the_setup_again()
    {
        Host.Sensor = InstalledSensor;

        var output = (await Activity.RunAsync(Input(), isRecovery: true)).ShouldComplete<InstallSensorOutput>();

        Launcher.Runs.Should().BeEmpty();
        output.AlreadyInstalled.Should().BeTrue();
        output.ExitCode.Should().BeNull();
        output.Note.Should().Be("The sensor 2.239.18412.34145 is already installed on DC01; the setup was not run again.");
    }

    [Fact]
    public async Task Exit_code_3010_succeeds_with_a_restart_required()
    {
        Launcher.Behaviour = _ => 3010;

        var output = (await Activity.RunAsync(Input())).ShouldComplete<InstallSensorOutput>();

        output.RebootRequired.Should().BeTrue();
        output.ExitCode.Should().Be(3010);
        output.InstallPath.Should().Be(@"%ProgramFiles%\Azure Advanced Threat Protection Sensor");
    }

    [Fact]
    public async Task A_host_that_is_not_elevated_is_refused_before_anything_runs()
    {
        Host.Server = Servers.DomainController2022 with { IsElevated = false };

        var error = (await Activity.RunAsync(Input())).ShouldFail("install.notElevated");

        error.Message.Should().Be("The sensor setup must run elevated, but MdiFlow is not running as administrator on DC01. MdiFlow never elevates by itself.");
        Launcher.Runs.Should().BeEmpty();
    }

    [Fact]
    public async Task A_path_inside_the_zip_is_refused()
    {
        var error = (await Activity.RunAsync(new { packageDirectory = @"C:\Downloads\Azure ATP Sensor Setup.zip\", accessKey = Key })).ShouldFail("install.fromZip");

        error.Fix.Should().Contain("zip.extract");
        Launcher.Runs.Should().BeEmpty();
    }

    [Fact]
    public async Task A_folder_without_the_setup_is_refused()
    {
        using var empty = new TempDirectory();

        var error = (await Activity.RunAsync(new { packageDirectory = empty.Path, accessKey = Key })).ShouldFail("install.setupNotFound");

        error.Message.Should().Contain("holds no \"Azure ATP sensor Setup.exe\"");
    }

    [Fact]
    public async Task Every_input_problem_is_reported_at_once()
    {
        var error = (await Activity.RunAsync(new { packageDirectory = Package.Path, accessKey = " ", proxyUrl = "proxy:8080", proxyPasswordRef = "hunter2" })).ShouldFail("activity.invalidInput");

        error.Message.Should().Be("The input of step 'step' is not usable: 'accessKey' is empty; bind it from a secret ({{ secrets.accessKey }}) or from mdi.getAccessKey's accessKeyRef; 'proxyUrl' is not an http or https URL such as http://proxy.contoso.com:8080; 'proxyPasswordRef' is given without 'proxyUserName'.");
        error.Message.Should().NotContain("hunter2");
    }

    [Fact]
    public async Task A_proxy_password_bound_from_a_secret_is_passed_as_documented()
    {
        var output = await Activity.RunAsync(new
        {
            packageDirectory = Package.Path,
            accessKey = Key,
            proxyUrl = "http://proxy.contoso.com:8080",
            proxyUserName = "proxyuser",
            proxyPasswordRef = "Pr0xy-Secret!",
            installationPath = "",
        });

        output.ShouldComplete<InstallSensorOutput>();
        Launcher.Runs.Single().Arguments.Should().Contain("ProxyUserPassword=Pr0xy-Secret!").And.NotContain(a => a.StartsWith("InstallationPath=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_probe_s_proxy_credential_splits_into_the_setup_s_user_and_password()
    {
        Environment.SetEnvironmentVariable("MDIFLOW_TEST_PROXY_CREDENTIAL_INSTALL", @"CONTOSO\proxyuser:Pr0xy:Secret!");

        (await Activity.RunAsync(new { packageDirectory = Package.Path, accessKey = Key, proxyUrl = "http://proxy.contoso.com:8080", proxyCredential = "env:MDIFLOW_TEST_PROXY_CREDENTIAL_INSTALL" }))
            .ShouldComplete<InstallSensorOutput>();

        Launcher.Runs.Single().Arguments.Should().Contain([@"ProxyUserName=CONTOSO\proxyuser", "ProxyUserPassword=Pr0xy:Secret!"]);
    }

    [Fact]
    public async Task A_vault_reference_from_get_access_key_is_resolved_into_the_key_file()
    {
        var reference = Keys.Store("mdi-access-key-test", Key);
        string? seenKey = null;
        Launcher.Behaviour = invocation =>
        {
            seenKey = File.ReadAllText(FakeSetupLauncher.AccessKeyFileOf(invocation));
            return 0;
        };

        await Activity.RunAsync(Input(reference));

        reference.Should().Be("vault:mdi-access-key-test");
        seenKey.Should().Be(Key);
    }

    [Fact]
    public async Task A_vault_reference_without_an_entry_fails_before_running_the_setup()
    {
        var error = (await Activity.RunAsync(Input("vault:never-stored"))).ShouldFail("install.secretUnavailable");

        error.Message.Should().Contain("has no entry 'never-stored'");
        Launcher.Runs.Should().BeEmpty();
    }
}
