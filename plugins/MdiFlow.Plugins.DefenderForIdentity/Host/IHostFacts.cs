namespace MdiFlow.Plugins.DefenderForIdentity.Host;

/// <summary>
/// What the target server is: the Windows facts the MDI activities check. The Windows implementation
/// reads CIM/WMI, the registry, services and the process token; the lab implementation reads a host profile.
/// </summary>
public interface IHostFacts
{
    /// <summary>Role, operating system, hardware, power plan, .NET Framework, clock and elevation.</summary>
    ValueTask<ServerFacts> GetServerAsync(CancellationToken cancellationToken);

    /// <summary>NIC teams and the packet-capture drivers installed.</summary>
    ValueTask<NetworkFacts> GetNetworkAsync(CancellationToken cancellationToken);

    /// <summary>What the directory says about a directory service account (gMSA or user), as Test-MDIDSA checks it.</summary>
    ValueTask<ServiceAccountFacts> GetServiceAccountAsync(string account, CancellationToken cancellationToken);

    /// <summary>Whether the sensor is installed, where, and the state of its services.</summary>
    ValueTask<SensorInstallation> GetSensorAsync(CancellationToken cancellationToken);
}

/// <summary>The server's role and readiness facts.</summary>
public sealed record ServerFacts
{
    /// <summary>The computer's name.</summary>
    public required string ComputerName { get; init; }

    /// <summary>Win32_ComputerSystem.DomainRole: 4 or 5 is a domain controller.</summary>
    public required int DomainRole { get; init; }

    /// <summary>True for DomainRole 4 (backup DC) or 5 (primary DC).</summary>
    public bool IsDomainController => DomainRole is 4 or 5;

    /// <summary>Win32_OperatingSystem.Caption, for example "Microsoft Windows Server 2022 Datacenter".</summary>
    public required string OsCaption { get; init; }

    /// <summary>Win32_OperatingSystem.Version, for example "10.0.20348".</summary>
    public required string OsVersion { get; init; }

    /// <summary>Logical processors.</summary>
    public required int LogicalProcessors { get; init; }

    /// <summary>Physical memory in bytes.</summary>
    public required long TotalMemoryBytes { get; init; }

    /// <summary>Free space on the system drive in bytes.</summary>
    public required long SystemDriveFreeBytes { get; init; }

    /// <summary>The active power plan's GUID (High performance is 8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c).</summary>
    public Guid? PowerPlanId { get; init; }

    /// <summary>The active power plan's name.</summary>
    public string? PowerPlanName { get; init; }

    /// <summary>The .NET Framework 4.x "Release" registry value (461308 or more is 4.7.1; 460798 is 4.7).</summary>
    public int? DotNetFrameworkRelease { get; init; }

    /// <summary>How far this server's clock is from the domain's time source (absolute), when known.</summary>
    public TimeSpan? ClockSkew { get; init; }

    /// <summary>Whether the current process runs elevated (as administrator).</summary>
    public required bool IsElevated { get; init; }

    /// <summary>Whether Defender for Endpoint is onboarded (sensor v3.x needs it).</summary>
    public bool DefenderForEndpointOnboarded { get; init; }

    /// <summary>Win32_ComputerSystem.Domain: the DNS domain (or workgroup) the server belongs to.</summary>
    public string? Domain { get; init; }

    /// <summary>The update build revision (HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\UBR), for example 4893 in 20348.4893; tells which cumulative update is installed.</summary>
    public int? OsBuildRevision { get; init; }

    /// <summary>The identity roles the server holds besides a domain controller's, by their services: <c>adfs</c> (adfssrv), <c>adcs</c> (CertSvc, the Certification Authority role service), <c>entraConnect</c> (ADSync).</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Why a restart is pending (Component Based Servicing, Windows Update, pending file renames, a computer rename); empty when none.</summary>
    public IReadOnlyList<string> PendingRestart { get; init; } = [];

    /// <summary>The file version of %SystemRoot%\System32\ntdsai.dll on a domain controller (Server 2019 needs 10.0.17763.316 or later, KB4487044); null when not read.</summary>
    public string? NtdsaiVersion { get; init; }

    /// <summary>Whether the server is a virtual machine, and how its memory is allocated; null when not read.</summary>
    public VirtualizationFacts? Virtualization { get; init; }

    /// <summary>The .NET Framework TLS registry values (SystemDefaultTlsVersions, SchUseStrongCrypto, 64- and 32-bit); null when not read.</summary>
    public IReadOnlyList<RegistryValueFact>? TlsSettings { get; init; }

    /// <summary>The thumbprints of the roots the sensor needs that the LocalMachine Root store holds (DigiCert Global Root G2, DigiCert Global Root CA); null when not read.</summary>
    public IReadOnlyList<string>? RootCertificates { get; init; }
}

/// <summary>NIC teaming and capture drivers.</summary>
public sealed record NetworkFacts
{
    /// <summary>LBFO or SET teams on the server.</summary>
    public IReadOnlyList<NicTeam> Teams { get; init; } = [];

    /// <summary>The installed WinPcap version, if any.</summary>
    public string? WinPcapVersion { get; init; }

    /// <summary>The installed Npcap version, if any.</summary>
    public string? NpcapVersion { get; init; }

    /// <summary>Installed programs whose DisplayName matches npcap or winpcap (as Test-MdiReadiness matches them), with their DisplayVersion.</summary>
    public IReadOnlyList<InstalledProgram> CaptureComponents { get; init; } = [];

    /// <summary>The options Npcap was installed with (HKLM\SYSTEM\CurrentControlSet\Services\npcap\Parameters); null when Npcap is absent or they could not be read.</summary>
    public NpcapOptions? NpcapOptions { get; init; }

    /// <summary>The network adapters with their IP configuration (a standalone sensor needs a capture adapter); null when not read.</summary>
    public IReadOnlyList<NetworkAdapter>? Adapters { get; init; }
}

/// <summary>An installed program's uninstall entry.</summary>
/// <param name="DisplayName">For example <c>Npcap OEM</c>.</param>
/// <param name="Version">Its DisplayVersion, for example <c>1.79</c>.</param>
public sealed record InstalledProgram(string DisplayName, string? Version);

/// <summary>The Npcap installation options the sensor needs: <c>/loopback_support=no /winpcap_mode=yes /admin_only=no</c>.</summary>
/// <param name="LoopbackSupport">1 when installed with loopback support (must be 0).</param>
/// <param name="WinPcapCompatible">1 when installed in WinPcap API-compatible mode (must be 1).</param>
/// <param name="AdminOnly">1 when restricted to administrators (must be 0).</param>
public sealed record NpcapOptions(int? LoopbackSupport, int? WinPcapCompatible, int? AdminOnly);

/// <summary>A network adapter's IP configuration.</summary>
/// <param name="Name">The interface alias.</param>
/// <param name="HasDefaultGateway">Whether it has an IPv4 default gateway.</param>
/// <param name="HasDnsServers">Whether it has DNS servers.</param>
public sealed record NetworkAdapter(string Name, bool HasDefaultGateway, bool HasDnsServers);

/// <summary>One NIC team.</summary>
/// <param name="Name">The team's name.</param>
/// <param name="Kind"><c>LBFO</c> (Get-NetLbfoTeam) or <c>SET</c> (Switch Embedded Teaming, Get-VMSwitch).</param>
/// <param name="Members">The member adapters.</param>
public sealed record NicTeam(string Name, string Kind, IReadOnlyList<string> Members);

/// <summary>A directory service account as the directory sees it.</summary>
public sealed record ServiceAccountFacts
{
    /// <summary>The account as asked for (for example <c>CONTOSO\mdiSvc01$</c>).</summary>
    public required string Account { get; init; }

    /// <summary>Whether the account exists.</summary>
    public required bool Exists { get; init; }

    /// <summary><c>gMSA</c> or <c>user</c>.</summary>
    public string Kind { get; init; } = "user";

    /// <summary>Whether the account is enabled.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Sensitive groups it belongs to (Domain Admins, Enterprise Admins, ...): it must be in none.</summary>
    public IReadOnlyList<string> SensitiveGroups { get; init; } = [];

    /// <summary>For a gMSA: whether this host is in PrincipalsAllowedToRetrieveManagedPassword (directly or by group).</summary>
    public bool? HostCanRetrievePassword { get; init; }

    /// <summary>Whether the account can read the Deleted Objects container.</summary>
    public bool DeletedObjectsReadable { get; init; }

    /// <summary>For a gMSA: the effective times of the forest's KDS root keys (Get-KdsRootKey); empty when there is none; null when not read.</summary>
    public IReadOnlyList<DateTimeOffset>? KdsRootKeyEffectiveTimes { get; init; }

    /// <summary>Whether the account, or a group in its token, holds "Log on as a service" (SeServiceLogonRight) on this server; null when not read.</summary>
    public bool? LogOnAsServiceGranted { get; init; }

    /// <summary>Whether the account, or a group in its token, is in this server's Performance Log Users group (S-1-5-32-559); null when not read.</summary>
    public bool? PerformanceLogUsersMember { get; init; }
}

/// <summary>The sensor's installation on this server.</summary>
public sealed record SensorInstallation
{
    /// <summary>Whether the sensor (v2.x, from the installer) is installed.</summary>
    public required bool Installed { get; init; }

    /// <summary>Its version, when installed.</summary>
    public string? Version { get; init; }

    /// <summary>Its installation folder, when installed.</summary>
    public string? InstallPath { get; init; }

    /// <summary>AATPSensor and AATPSensorUpdater, when installed.</summary>
    public IReadOnlyList<ServiceFacts> Services { get; init; } = [];
}

/// <summary>One Windows service.</summary>
/// <param name="Name">The service name.</param>
/// <param name="Running">Whether it is running.</param>
/// <param name="Account">The account it runs as (LocalService, LocalSystem, ...).</param>
public sealed record ServiceFacts(string Name, bool Running, string Account);
