using MdiFlow.Plugins.DefenderForIdentity.AccessKeys;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Installation;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using MdiFlow.Testing;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Installation;

/// <summary>An extracted package, an installer log folder, a vault and the host doubles, for mdi.installSensor.</summary>
public abstract class InstallSensorFixture : IDisposable
{
    internal const string Key = "S3ns0rAcc3ssK3y/Base64+Value==";

    private readonly TempDirectory _vault = new();

    protected InstallSensorFixture()
    {
        File.WriteAllText(Package.Combine("Azure ATP sensor Setup.exe"), "stand-in");
        Keys = new AccessKeyVault(Options.Create(new DefenderForIdentityOptions { KeyVaultDirectory = _vault.Path }));
        Launcher.Behaviour = _ =>
        {
            Host.Sensor = InstalledSensor;
            return 0;
        };
    }

    internal TempDirectory Package { get; } = new();

    internal TempDirectory Logs { get; } = new();

    internal FakeHostFacts Host { get; } = new();

    internal FakeSetupLauncher Launcher { get; } = new();

    internal AccessKeyVault Keys { get; }

    internal static SensorInstallation InstalledSensor => new()
    {
        Installed = true,
        Version = "2.239.18412.34145",
        InstallPath = @"C:\Program Files\Azure Advanced Threat Protection Sensor",
    };

    internal InstallSensorActivity Activity => new(Host, Launcher, Keys, Options.Create(new DefenderForIdentityOptions { InstallerLogDirectory = Logs.Path, KeyVaultDirectory = _vault.Path }), new RehearsalSandbox());

    internal object Input(string accessKey = Key) => new { packageDirectory = Package.Path, accessKey };

    /// <summary>Copies a scenario's logs (Fixtures/InstallerLogs/NAME) as the setup would write them.</summary>
    internal static void CopyLogs(string scenario, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(Fixture.Path(Path.Combine("InstallerLogs", scenario))))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
        }
    }

    public void Dispose()
    {
        Keys.Dispose();
        Package.Dispose();
        Logs.Dispose();
        _vault.Dispose();
        GC.SuppressFinalize(this);
    }
}
