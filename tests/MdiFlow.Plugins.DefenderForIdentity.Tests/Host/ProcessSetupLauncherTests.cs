using MdiFlow.Testing.Platforms;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Testing;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Host;

public sealed class ProcessSetupLauncherTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Passes_each_argument_unchanged_points_temp_at_the_log_folder_and_returns_the_exit_code()
    {
        var setup = _folder.Combine("setup.sh");
        var seen = _folder.Combine("seen.txt");
        File.WriteAllText(setup, $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{seen}'; done\nprintf 'TEMP=%s\\n' \"$TEMP\" >> '{seen}'\nexit 42\n");
        File.SetUnixFileMode(setup, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var logs = _folder.Combine("logs");

        var exitCode = await new ProcessSetupLauncher().RunAsync(
            new SetupInvocation(setup, ["/quiet", "NetFrameworkCommandLineArguments=/q", "AccessKeyFile=/tmp/a key file.txt", "ProxyUserName=CONTOSO\\proxy user"], logs),
            CancellationToken.None);

        exitCode.Should().Be(42);
        File.ReadAllLines(seen).Should().Equal(
            "/quiet",
            "NetFrameworkCommandLineArguments=/q",
            "AccessKeyFile=/tmp/a key file.txt",
            "ProxyUserName=CONTOSO\\proxy user",
            "TEMP=" + logs);
    }

    [Fact]
    public async Task A_setup_that_cannot_start_is_a_host_facts_failure()
    {
        var run = async () => await new ProcessSetupLauncher().RunAsync(new SetupInvocation(_folder.Combine("missing.exe"), [], _folder.Path), CancellationToken.None);

        await run.Should().ThrowAsync<HostFactsException>().WithMessage("The setup '*missing.exe' could not be started: *");
    }

    public void Dispose() => _folder.Dispose();
}
