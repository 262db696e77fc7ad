using System.Runtime.Versioning;
using System.Security.Principal;
using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Windows;

/// <summary>
/// The facts of the Windows server MdiFlow runs on. CIM through <c>Get-CimInstance ... | ConvertTo-Json</c>
/// (System.Management is not part of .NET), services through <c>sc.exe</c>, the rest from the registry,
/// <c>powercfg</c>, <c>w32tm</c> and <c>dsacls</c>. Every program is run from System32 by full path.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsHostFacts(TimeProvider time) : IHostFacts
{
    public async ValueTask<ServerFacts> GetServerAsync(CancellationToken cancellationToken)
    {
        var computer = await ParsedAsync(
            "Win32_ComputerSystem",
            () => ConsoleCommand.PowerShellAsync(PowerShellScripts.ComputerSystem, time, cancellationToken),
            ComputerSystemParser.Parse).ConfigureAwait(false);
        var os = await ParsedAsync(
            "Win32_OperatingSystem",
            () => ConsoleCommand.PowerShellAsync(PowerShellScripts.OperatingSystem, time, cancellationToken),
            OperatingSystemParser.Parse).ConfigureAwait(false);
        var scheme = await OptionalAsync(() => ParsedAsync(
            "the active power plan",
            () => ConsoleCommand.RunAsync(ConsoleCommand.System32("powercfg.exe"), ["/getactivescheme"], time, cancellationToken),
            PowerSchemeParser.Parse)).ConfigureAwait(false);
        var skew = await ClockSkewAsync(computer, cancellationToken).ConfigureAwait(false);
        var virtualization = await OptionalAsync(() => ParsedAsync(
            "the virtualization platform",
            () => ConsoleCommand.PowerShellAsync(PowerShellScripts.Embedded("VirtualizationScript.ps1"), time, cancellationToken),
            VirtualizationParser.Parse)).ConfigureAwait(false);
        var roles = await RolesAsync(cancellationToken).ConfigureAwait(false);
        var systemDrive = new DriveInfo(Path.GetPathRoot(Environment.SystemDirectory) ?? "C:\\");
        using var identity = WindowsIdentity.GetCurrent();

        return new ServerFacts
        {
            ComputerName = computer.Name,
            DomainRole = computer.DomainRole,
            OsCaption = os.Caption,
            OsVersion = os.Version,
            LogicalProcessors = computer.LogicalProcessors,
            TotalMemoryBytes = computer.TotalPhysicalMemory,
            SystemDriveFreeBytes = systemDrive.AvailableFreeSpace,
            PowerPlanId = scheme?.Id,
            PowerPlanName = scheme?.Name,
            DotNetFrameworkRelease = WindowsRegistry.DotNetFrameworkRelease(),
            ClockSkew = skew,

            // Under UAC an administrator's filtered token holds Administrators for deny only, so IsInRole is false until elevated.
            IsElevated = new WindowsPrincipal(identity).IsInRole(WindowsBuiltInRole.Administrator),
            DefenderForEndpointOnboarded = WindowsRegistry.DefenderForEndpointOnboarded(),
            Domain = computer.Domain,
            OsBuildRevision = WindowsRegistry.UpdateBuildRevision(),
            Roles = roles,
            PendingRestart = WindowsRegistry.PendingRestartReasons(),
            NtdsaiVersion = computer.DomainRole is 4 or 5 ? FileVersion(Path.Combine(Environment.SystemDirectory, "ntdsai.dll")) : null,
            Virtualization = virtualization,
            TlsSettings = WindowsRegistry.TlsSettings(),
            RootCertificates = RootCertificates(),
        };
    }

    /// <summary>The identity roles, by the services that carry them: adfssrv (AD FS), CertSvc (AD CS), ADSync (Entra Connect).</summary>
    private async Task<IReadOnlyList<string>> RolesAsync(CancellationToken cancellationToken)
    {
        var roles = new List<string>();
        foreach (var (service, role) in new[] { ("adfssrv", "adfs"), ("CertSvc", "adcs"), ("ADSync", "entraConnect") })
        {
            var query = await ConsoleCommand.RunAsync(ConsoleCommand.System32("sc.exe"), ["query", service], time, cancellationToken).ConfigureAwait(false);
            try
            {
                if (ServiceControlParser.ParseQuery(query.Output) is not null)
                {
                    roles.Add(role);
                }
            }
            catch (FormatException ex)
            {
                throw new HostFactsException($"Reading the service {service} with sc.exe failed (exit code {query.ExitCode}): {ex.Message}", ex);
            }
        }

        return roles;
    }

    private static string? FileVersion(string path) =>
        File.Exists(path) && System.Diagnostics.FileVersionInfo.GetVersionInfo(path) is { } info
            ? $"{info.FileMajorPart}.{info.FileMinorPart}.{info.FileBuildPart}.{info.FilePrivatePart}"
            : null;

    /// <summary>Which of the roots the sensor needs the LocalMachine Root store holds.</summary>
    private static IReadOnlyList<string>? RootCertificates()
    {
        try
        {
            using var store = new System.Security.Cryptography.X509Certificates.X509Store(System.Security.Cryptography.X509Certificates.StoreName.Root, System.Security.Cryptography.X509Certificates.StoreLocation.LocalMachine);
            store.Open(System.Security.Cryptography.X509Certificates.OpenFlags.ReadOnly | System.Security.Cryptography.X509Certificates.OpenFlags.OpenExistingOnly);
            return [.. store.Certificates.Select(c => c.Thumbprint).Where(t => SensorApi.MicrosoftRootNames.Required.Contains(t, StringComparer.OrdinalIgnoreCase))];
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public async ValueTask<NetworkFacts> GetNetworkAsync(CancellationToken cancellationToken)
    {
        var lbfo = await ParsedAsync(
            "the LBFO teams",
            () => ConsoleCommand.PowerShellAsync(PowerShellScripts.LbfoTeams, time, cancellationToken),
            NicTeamParser.ParseLbfo).ConfigureAwait(false);
        var set = await ParsedAsync(
            "the Switch Embedded Teaming switches",
            () => ConsoleCommand.PowerShellAsync(PowerShellScripts.SwitchEmbeddedTeams, time, cancellationToken),
            NicTeamParser.ParseSwitchEmbedded).ConfigureAwait(false);
        var capture = await ParsedAsync(
            "the capture components and network adapters",
            () => ConsoleCommand.PowerShellAsync(PowerShellScripts.Embedded("CaptureScript.ps1"), time, cancellationToken),
            CaptureFactsParser.Parse).ConfigureAwait(false);
        return new NetworkFacts
        {
            Teams = [.. lbfo, .. set],
            WinPcapVersion = capture.VersionOf("WinPcap"),
            NpcapVersion = capture.VersionOf("Npcap"),
            CaptureComponents = capture.Components,
            NpcapOptions = capture.Npcap,
            Adapters = capture.Adapters,
        };
    }

    public ValueTask<ServiceAccountFacts> GetServiceAccountAsync(string account, CancellationToken cancellationToken) =>
        WindowsServiceAccounts.ReadAsync(account, time, cancellationToken);

    public ValueTask<SensorInstallation> GetSensorAsync(CancellationToken cancellationToken) =>
        WindowsSensorServices.ReadAsync(time, cancellationToken);

    /// <summary>Runs a program and parses what it printed; a non-zero exit or an unreadable output is a <see cref="HostFactsException"/>.</summary>
    internal static async Task<T> ParsedAsync<T>(string what, Func<Task<CommandOutput>> run, Func<string, T> parse)
    {
        var result = await run().ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new HostFactsException($"Reading {what} failed (exit code {result.ExitCode}): {FirstLines(result.Error.Length > 0 ? result.Error : result.Output)}");
        }

        try
        {
            return parse(result.Output);
        }
        catch (FormatException ex)
        {
            throw new HostFactsException($"Reading {what} gave output in an unexpected form: {ex.Message}", ex);
        }
    }

    internal static string FirstLines(string text) =>
        string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3));

    /// <summary>A fact the checks can do without: unknown (null) when it cannot be read.</summary>
    private static async Task<T?> OptionalAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HostFactsException)
        {
            return null;
        }
    }

    private async Task<TimeSpan?> ClockSkewAsync(ComputerSystemInfo computer, CancellationToken cancellationToken)
    {
        // Workgroup machines (DomainRole 0 and 2) have no domain time source to compare with.
        if (computer.DomainRole is 0 or 2 || string.IsNullOrEmpty(computer.Domain))
        {
            return null;
        }

        try
        {
            return await ParsedAsync(
                "the clock offset from the domain",
                () => ConsoleCommand.RunAsync(ConsoleCommand.System32("w32tm.exe"), ["/stripchart", "/computer:" + computer.Domain, "/samples:1", "/dataonly"], time, cancellationToken),
                ClockSkewParser.Parse).ConfigureAwait(false);
        }
        catch (HostFactsException)
        {
            return null;
        }
    }
}
