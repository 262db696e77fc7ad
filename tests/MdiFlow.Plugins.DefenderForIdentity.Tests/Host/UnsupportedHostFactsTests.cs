using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.AccessKeys;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Installation;
using MdiFlow.Plugins.DefenderForIdentity.Networking;
using MdiFlow.Plugins.DefenderForIdentity.Readiness;
using MdiFlow.Plugins.DefenderForIdentity.ServiceAccounts;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using MdiFlow.Plugins.DefenderForIdentity.Verification;
using MdiFlow.Testing;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Host;

public sealed class UnsupportedHostFactsTests : IDisposable
{
    private readonly TempDirectory _package = new();

    public UnsupportedHostFactsTests() => File.WriteAllText(_package.Combine("Azure ATP sensor Setup.exe"), "stand-in");

    public static TheoryData<string> HostActivities() => ["mdi.checkServiceAccount", "mdi.checkNicTeaming", "mdi.detectServerRole", "mdi.installSensor", "mdi.verifySensor"];

    [Theory]
    [MemberData(nameof(HostActivities))]
    public async Task Off_windows_every_host_activity_fails_with_host_unsupported_and_points_to_the_lab(string name)
    {
        var (activity, input) = Create(name, new UnsupportedHostFacts());

        var error = (await activity.RunAsync(input)).ShouldFail("host.unsupported");

        error.Message.Should().StartWith($"Step 'step' ({name}) must run on the Windows server being deployed. This host runs ");
        error.Fix.Should().Contain("use --lab to rehearse");
    }

    [Fact]
    public async Task Facts_that_cannot_be_read_on_windows_fail_with_the_reason()
    {
        var (activity, input) = Create("mdi.checkNicTeaming", new BrokenHostFacts());

        var error = (await activity.RunAsync(input)).ShouldFail("host.factsUnavailable");

        error.Message.Should().Be("Step 'step' (mdi.checkNicTeaming) could not read the facts of this server: Reading the LBFO teams failed (exit code 1): Access denied.");
    }

    private (IActivity Activity, object Input) Create(string name, IHostFacts host)
    {
        var options = Options.Create(new DefenderForIdentityOptions { KeyVaultDirectory = _package.Combine("vault"), InstallerLogDirectory = _package.Path });
        return name switch
        {
            "mdi.checkServiceAccount" => (new CheckServiceAccountActivity(host), new { account = @"CONTOSO\mdiSvc01$" }),
            "mdi.checkNicTeaming" => (new CheckNicTeamingActivity(host), new { }),
            "mdi.detectServerRole" => (new DetectServerRoleActivity(host, options), new { }),
            "mdi.installSensor" => (new InstallSensorActivity(host, new FakeSetupLauncher(), new AccessKeyVault(options), options, new RehearsalSandbox()), new { packageDirectory = _package.Path, accessKey = "k" }),
            "mdi.verifySensor" => (new VerifySensorActivity(host), new { }),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    public void Dispose() => _package.Dispose();

    private sealed class BrokenHostFacts : IHostFacts
    {
        public ValueTask<ServerFacts> GetServerAsync(CancellationToken cancellationToken) => throw Broken();

        public ValueTask<NetworkFacts> GetNetworkAsync(CancellationToken cancellationToken) => throw Broken();

        public ValueTask<ServiceAccountFacts> GetServiceAccountAsync(string account, CancellationToken cancellationToken) => throw Broken();

        public ValueTask<SensorInstallation> GetSensorAsync(CancellationToken cancellationToken) => throw Broken();

        private static HostFactsException Broken() => new("Reading the LBFO teams failed (exit code 1): Access denied.");
    }
}
