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
            () => ConsoleCommand.PowerShellAsync("Get-CimInstance Win32_ComputerSystem | Select-Object Name,Domain,DomainRole,NumberOfLogicalProcessors,TotalPhysicalMemory | ConvertTo-Json", time, cancellationToken),
            ComputerSystemParser.Parse).ConfigureAwait(false);
        var os = await ParsedAsync(
            "Win32_OperatingSystem",
            () => ConsoleCommand.PowerShellAsync("Get-CimInstance Win32_OperatingSystem | Select-Object Caption,Version | ConvertTo-Json", time, cancellationToken),
            OperatingSystemParser.Parse).ConfigureAwait(false);
        var scheme = await OptionalAsync(() => ParsedAsync(
            "the active power plan",
            () => ConsoleCommand.RunAsync(ConsoleCommand.System32("powercfg.exe"), ["/getactivescheme"], time, cancellationToken),
            PowerSchemeParser.Parse)).ConfigureAwait(false);
        var skew = await ClockSkewAsync(computer, cancellationToken).ConfigureAwait(false);
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
        };
    }

    public async ValueTask<NetworkFacts> GetNetworkAsync(CancellationToken cancellationToken)
    {
        var lbfo = await ParsedAsync(
            "the LBFO teams",
            () => ConsoleCommand.PowerShellAsync("if (Get-Command Get-NetLbfoTeam -ErrorAction SilentlyContinue) { Get-NetLbfoTeam | Select-Object Name,Members,TeamingMode | ConvertTo-Json }", time, cancellationToken),
            NicTeamParser.ParseLbfo).ConfigureAwait(false);
        var set = await ParsedAsync(
            "the Switch Embedded Teaming switches",
            () => ConsoleCommand.PowerShellAsync("if (Get-Command Get-VMSwitch -ErrorAction SilentlyContinue) { Get-VMSwitch | Where-Object EmbeddedTeamingEnabled | Select-Object Name,EmbeddedTeamingEnabled,NetAdapterInterfaceDescriptions | ConvertTo-Json }", time, cancellationToken),
            NicTeamParser.ParseSwitchEmbedded).ConfigureAwait(false);
        return new NetworkFacts
        {
            Teams = [.. lbfo, .. set],
            WinPcapVersion = WindowsRegistry.InstalledVersion("WinPcapInst"),
            NpcapVersion = WindowsRegistry.InstalledVersion("NpcapInst"),
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
