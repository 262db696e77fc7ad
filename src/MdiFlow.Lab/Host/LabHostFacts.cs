using MdiFlow.Lab.Profiles;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Lab.Host;

/// <summary>
/// The simulated server: its facts come from the profile; whether the sensor is installed comes from the lab
/// state folder, where the stand-in setup records it, so it survives process restarts as a real install does.
/// </summary>
internal sealed class LabHostFacts(LabProfile profile, LabState state) : IHostFacts
{
    public ValueTask<ServerFacts> GetServerAsync(CancellationToken cancellationToken) => ValueTask.FromResult(profile.Server);

    public ValueTask<NetworkFacts> GetNetworkAsync(CancellationToken cancellationToken) => ValueTask.FromResult(profile.Network);

    public ValueTask<ServiceAccountFacts> GetServiceAccountAsync(string account, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        var known = profile.ServiceAccounts.FirstOrDefault(a => string.Equals(a.Account, account, StringComparison.OrdinalIgnoreCase))
            ?? (HasDomain(account) ? null : profile.ServiceAccounts.FirstOrDefault(a => string.Equals(BareName(a.Account), BareName(account), StringComparison.OrdinalIgnoreCase)));
        return ValueTask.FromResult(known ?? new ServiceAccountFacts { Account = account, Exists = false });
    }

    public ValueTask<SensorInstallation> GetSensorAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(state.ReadSensor()?.Installation ?? new SensorInstallation { Installed = false });

    private static bool HasDomain(string account) => account.Contains('\\', StringComparison.Ordinal) || account.Contains('@', StringComparison.Ordinal);

    // "CONTOSO\mdiSvc01$", "mdiSvc01$@contoso.com" and "mdiSvc01$" name one account; a gMSA's trailing $ is optional.
    private static string BareName(string account)
    {
        var name = account[(account.LastIndexOf('\\') + 1)..];
        var at = name.IndexOf('@', StringComparison.Ordinal);
        return (at >= 0 ? name[..at] : name).TrimEnd('$');
    }
}
