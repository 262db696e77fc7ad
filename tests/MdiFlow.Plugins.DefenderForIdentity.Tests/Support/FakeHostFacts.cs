using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

/// <summary>A server described in memory: our host abstraction's test double.</summary>
internal sealed class FakeHostFacts : IHostFacts
{
    public ServerFacts Server { get; set; } = Servers.DomainController2022;

    public NetworkFacts Network { get; set; } = new();

    public Dictionary<string, ServiceAccountFacts> Accounts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public SensorInstallation Sensor { get; set; } = new() { Installed = false };

    public int SensorQueries { get; private set; }

    public ValueTask<ServerFacts> GetServerAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Server);

    public ValueTask<NetworkFacts> GetNetworkAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Network);

    public ValueTask<ServiceAccountFacts> GetServiceAccountAsync(string account, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Accounts.TryGetValue(account, out var facts) ? facts : new ServiceAccountFacts { Account = account, Exists = false });

    public ValueTask<SensorInstallation> GetSensorAsync(CancellationToken cancellationToken)
    {
        SensorQueries++;
        return ValueTask.FromResult(Sensor);
    }
}

/// <summary>Server profiles for tests.</summary>
internal static class Servers
{
    public static readonly ServerFacts DomainController2022 = new()
    {
        ComputerName = "DC01",
        DomainRole = 5,
        OsCaption = "Microsoft Windows Server 2022 Datacenter",
        OsVersion = "10.0.20348",
        LogicalProcessors = 4,
        TotalMemoryBytes = 8_589_463_552,
        SystemDriveFreeBytes = 40_000_000_000,
        PowerPlanId = new Guid("8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c"),
        PowerPlanName = "High performance",
        DotNetFrameworkRelease = 528449,
        ClockSkew = TimeSpan.FromSeconds(0.4),
        IsElevated = true,
        Domain = "contoso.com",
        OsBuildRevision = 4893,
        Virtualization = new VirtualizationFacts { Platform = "Physical" },
        TlsSettings =
        [
            new RegistryValueFact(@"SOFTWARE\Microsoft\.NETFramework\v4.0.30319", "SystemDefaultTlsVersions", 1),
            new RegistryValueFact(@"SOFTWARE\Microsoft\.NETFramework\v4.0.30319", "SchUseStrongCrypto", 1),
        ],
        RootCertificates = ["DF3C24F9BFD666761B268073FE06D1CC8D4F82A4"],
    };

    /// <summary>A domain controller that meets every sensor v3.x requirement.</summary>
    public static readonly ServerFacts DomainControllerV3 = DomainController2022 with { DefenderForEndpointOnboarded = true };

    /// <summary>A member server running AD FS.</summary>
    public static readonly ServerFacts AdfsServer2022 = DomainController2022 with { ComputerName = "ADFS01", DomainRole = 3, Roles = ["adfs"] };

    public static readonly ServerFacts DomainController2008R2 = DomainController2022 with
    {
        ComputerName = "DC-OLD",
        OsCaption = "Microsoft Windows Server 2008 R2 Enterprise",
        OsVersion = "6.1.7601",
        DotNetFrameworkRelease = 394802,
        OsBuildRevision = null,
    };

    public static readonly ServerFacts MemberServer2019 = DomainController2022 with
    {
        ComputerName = "ATASRV01",
        DomainRole = 3,
        OsCaption = "Microsoft Windows Server 2019 Standard",
        OsVersion = "10.0.17763",
    };
}
