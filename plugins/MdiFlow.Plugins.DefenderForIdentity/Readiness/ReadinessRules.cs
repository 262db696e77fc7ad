using System.Globalization;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;
using MdiFlow.Plugins.DefenderForIdentity.SensorApi;

namespace MdiFlow.Plugins.DefenderForIdentity.Readiness;

/// <summary>
/// The sensor's documented prerequisites, judged from <see cref="ServerFacts"/> as Microsoft's Test-MdiReadiness.ps1
/// judges them where it checks them: 2 logical processors, 6 GiB − 1 MiB of memory, 6 GiB free on the OS disk, an
/// operating system of 6.3 or later, and DigiCert Global Root G2 or DigiCert Global Root CA in the machine's Root store.
/// What the script does not check but the documentation requires (KB4487044 on Server 2019, memory fully allocated to a
/// VM) fails; recommendations (power plan, TLS registry values, .NET Framework, a pending restart) warn.
/// </summary>
internal static class ReadinessRules
{
    public const long MinimumMemoryBytes = (6L * 1024 * 1024 * 1024) - (1024 * 1024);
    public const long MinimumFreeDiskBytes = 6L * 1024 * 1024 * 1024;
    public const long RecommendedFreeDiskBytes = 10_000_000_000;
    public const int MinimumCores = 2;
    public static readonly TimeSpan MaximumClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>ntdsai.dll of KB4487044, which Windows Server 2019 domain controllers need.</summary>
    public static readonly Version Server2019Ntdsai = new(10, 0, 17763, 316);

    public static IReadOnlyList<FactCheck> Evaluate(ServerFacts server, SensorPath path)
    {
        var facts = new List<FactCheck> { OperatingSystem(server) };
        if (Server2019Update(server) is { } update)
        {
            facts.Add(update);
        }

        facts.Add(server.LogicalProcessors >= MinimumCores
            ? Fact("cores", FactStatus.Pass, Number(server.LogicalProcessors), "at least 2 logical processors")
            : Fact("cores", FactStatus.Fail, Number(server.LogicalProcessors), "at least 2 logical processors", "Give the server at least 2 cores."));
        facts.Add(server.TotalMemoryBytes >= MinimumMemoryBytes
            ? Fact("memory", FactStatus.Pass, Gibibytes(server.TotalMemoryBytes), "at least 6 GiB (6 GiB − 1 MiB as Test-MdiReadiness counts)")
            : Fact("memory", FactStatus.Fail, Gibibytes(server.TotalMemoryBytes), "at least 6 GiB (6 GiB − 1 MiB as Test-MdiReadiness counts)", "Give the server at least 6 GB of memory (more on busy domain controllers: see the capacity planning tool)."));
        facts.Add(FreeDisk(server));
        facts.Add(Virtualization(server));
        facts.Add(RootCertificates(server));
        facts.Add(Tls(server));
        facts.Add(PowerPlan(server));
        if (path != SensorPath.SensorV3)
        {
            // Sensor v3.x is activated, not installed: no .NET Framework setup runs.
            facts.Add(DotNet(server));
        }

        facts.Add(ClockSkew(server));
        facts.Add(server.PendingRestart.Count == 0
            ? Fact("pendingRestart", FactStatus.Pass, "none", "no restart pending")
            : Fact("pendingRestart", FactStatus.Warn, string.Join(", ", server.PendingRestart), "no restart pending", "A restart is pending; the sensor setup may restart the server by itself: restart it in a maintenance window before installing."));
        return facts;
    }

    private static FactCheck OperatingSystem(ServerFacts server)
    {
        var version = ServerVersion.Parse(server.OsVersion);
        var shown = $"{server.OsCaption} ({server.OsVersion})";
        const string Requirement = "Windows Server 2016, 2019, 2022 or 2025";
        if (!server.OsCaption.Contains("Server", StringComparison.OrdinalIgnoreCase) || version is null)
        {
            return Fact("operatingSystem", FactStatus.Fail, shown, Requirement, "The sensor runs on Windows Server only.");
        }

        if (version.Is2016OrLater)
        {
            return Fact("operatingSystem", FactStatus.Pass, shown, Requirement);
        }

        return version.Is2012R2
            ? Fact("operatingSystem", FactStatus.Warn, shown, Requirement, "Windows Server 2012 R2 is past the end of support (October 2023): the sensor still reports, but some functionality is missing; plan an upgrade.")
            : Fact("operatingSystem", FactStatus.Fail, shown, Requirement, $"{version.Name} is not supported by current sensors (Test-MdiReadiness needs 6.3 or later): upgrade the server to Windows Server 2016 or later.");
    }

    private static FactCheck? Server2019Update(ServerFacts server)
    {
        if (!server.IsDomainController || ServerVersion.Parse(server.OsVersion) is not { Is2019: true })
        {
            return null;
        }

        const string Requirement = "ntdsai.dll 10.0.17763.316 or later (KB4487044)";
        const string Fix = "Install KB4487044 or any later cumulative update for Windows Server 2019, restart, then retry.";
        return server.NtdsaiVersion is null || !Version.TryParse(server.NtdsaiVersion, out var found)
            ? Fact("server2019Update", FactStatus.Warn, server.NtdsaiVersion ?? "unknown", Requirement, "The version of %SystemRoot%\\System32\\ntdsai.dll could not be read: check that KB4487044 (or a later cumulative update) is installed.")
            : found >= Server2019Ntdsai
                ? Fact("server2019Update", FactStatus.Pass, server.NtdsaiVersion, Requirement)
                : Fact("server2019Update", FactStatus.Fail, server.NtdsaiVersion, Requirement, Fix);
    }

    private static FactCheck FreeDisk(ServerFacts server)
    {
        const string Requirement = "at least 6 GiB free on the OS disk (10 GB recommended)";
        var shown = Gibibytes(server.SystemDriveFreeBytes);
        return server.SystemDriveFreeBytes < MinimumFreeDiskBytes
            ? Fact("freeDisk", FactStatus.Fail, shown, Requirement, "Free at least 6 GB on the OS disk (10 GB recommended, for the sensor's binaries and logs).")
            : Fact("freeDisk", FactStatus.Pass, shown, Requirement, server.SystemDriveFreeBytes < RecommendedFreeDiskBytes ? "10 GB free is recommended for the sensor's binaries and logs." : null);
    }

    private static FactCheck Virtualization(ServerFacts server)
    {
        const string Requirement = "all memory allocated to the VM at all times";
        if (server.Virtualization is not { } vm)
        {
            return Fact("memoryAllocation", FactStatus.Warn, "unknown", Requirement, "Whether this is a virtual machine could not be read: on Hyper-V turn Enable Dynamic Memory off; on VMware reserve all guest memory.");
        }

        if (!vm.IsVirtual)
        {
            return Fact("memoryAllocation", FactStatus.Pass, vm.Platform, Requirement);
        }

        if (vm.DynamicMemoryEnabled == true)
        {
            return Fact("memoryAllocation", FactStatus.Fail, $"{vm.Platform} with Dynamic Memory", Requirement, "Turn off Enable Dynamic Memory in the VM's Hyper-V settings (Memory), so all its memory is allocated at all times.");
        }

        if (vm.MemoryReservationBytes is { } reserved)
        {
            return reserved >= server.TotalMemoryBytes
                ? Fact("memoryAllocation", FactStatus.Pass, $"{vm.Platform}, {Gibibytes(reserved)} reserved", Requirement)
                : Fact("memoryAllocation", FactStatus.Fail, $"{vm.Platform}, {Gibibytes(reserved)} of {Gibibytes(server.TotalMemoryBytes)} reserved", Requirement, "In the VM's settings reserve all of its memory (Reserve all guest memory (All locked)), so the reservation equals the configured memory.");
        }

        return vm.DynamicMemoryEnabled == false
            ? Fact("memoryAllocation", FactStatus.Pass, $"{vm.Platform}, static memory", Requirement)
            : Fact("memoryAllocation", FactStatus.Warn, vm.Platform, Requirement, $"How {vm.Platform} allocates this VM's memory could not be read from inside it: make sure all memory is allocated at all times (Hyper-V: Dynamic Memory off; VMware: all guest memory reserved).");
    }

    private static FactCheck RootCertificates(ServerFacts server)
    {
        const string Requirement = "DigiCert Global Root G2 (commercial) or DigiCert Global Root CA (GCC High) in the machine's Root store";
        if (server.RootCertificates is not { } found)
        {
            return Fact("rootCertificates", FactStatus.Warn, "unknown", Requirement, "The machine's Root store could not be read; check it with Get-ChildItem Cert:\\LocalMachine\\Root.");
        }

        var names = found.Select(MicrosoftRootNames.NameOf).OfType<string>().ToList();
        return names.Count > 0
            ? Fact("rootCertificates", FactStatus.Pass, string.Join(", ", names), Requirement)
            : Fact("rootCertificates", FactStatus.Fail, "neither is installed", Requirement, "Download DigiCert Global Root G2 (https://cacerts.digicert.com/DigiCertGlobalRootG2.crt; GCC High: DigiCert Global Root CA, https://cacerts.digicert.com/DigiCertGlobalRootCA.crt) and install it with Import-Certificate -FilePath <file> -CertStoreLocation Cert:\\LocalMachine\\Root.");
    }

    private static FactCheck Tls(ServerFacts server)
    {
        const string Requirement = "SystemDefaultTlsVersions = 1 and SchUseStrongCrypto = 1 for .NET Framework (64- and 32-bit)";
        if (server.TlsSettings is not { } values)
        {
            return Fact("tlsSettings", FactStatus.Warn, "unknown", Requirement, "The .NET Framework TLS registry values could not be read.");
        }

        var wrong = values.Where(v => v.Value != 1).ToList();
        return wrong.Count == 0 && values.Count > 0
            ? Fact("tlsSettings", FactStatus.Pass, "set", Requirement)
            : Fact("tlsSettings", FactStatus.Warn, string.Join(", ", wrong.Select(v => $"{v.Path}\\{v.Name} = {(v.Value is { } n ? n.ToString(CultureInfo.InvariantCulture) : "not set")}")), Requirement,
                "If TLS to the service fails, set both values to 1: reg add HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 /v SystemDefaultTlsVersions /t REG_DWORD /d 1 /f, the same for SchUseStrongCrypto, and both again under HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319; then restart the sensor services.");
    }

    private static FactCheck PowerPlan(ServerFacts server)
    {
        const string Requirement = "High performance power plan";
        if (server.PowerPlanId is not { } plan)
        {
            return Fact("powerPlan", FactStatus.Warn, "unknown", Requirement, "The power plan could not be read; check it with powercfg /getactivescheme.");
        }

        var shown = server.PowerPlanName is { Length: > 0 } name ? $"{name} ({plan})" : plan.ToString();
        return plan == PowerSchemeParser.HighPerformance
            ? Fact("powerPlan", FactStatus.Pass, shown, Requirement)
            : Fact("powerPlan", FactStatus.Warn, shown, Requirement, "Set the High performance plan: powercfg /setactive 8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c (or by Group Policy).");
    }

    private static FactCheck DotNet(ServerFacts server)
    {
        const string Requirement = ".NET Framework 4.7 or later";
        if (server.DotNetFrameworkRelease is not { } release)
        {
            return Fact("dotNetFramework", FactStatus.Warn, "not found", Requirement, "The setup installs .NET Framework 4.7 or later first, which may restart the server.");
        }

        var shown = $"{DotNetFrameworkRelease.VersionOf(release)} (Release {release.ToString(CultureInfo.InvariantCulture)})";
        return DotNetFrameworkRelease.MeetsSensorMinimum(release)
            ? Fact("dotNetFramework", FactStatus.Pass, shown, Requirement)
            : Fact("dotNetFramework", FactStatus.Warn, shown, Requirement, "The setup installs .NET Framework 4.7 or later first, which may restart the server; plan the install in a maintenance window.");
    }

    private static FactCheck ClockSkew(ServerFacts server)
    {
        const string Requirement = "within 5 minutes of the domain's time";
        if (server.ClockSkew is not { } skew)
        {
            return Fact("clockSkew", FactStatus.Warn, "unknown", Requirement, "The clock offset could not be measured; check it with w32tm /stripchart /computer:<domain> /samples:3 /dataonly.");
        }

        var shown = string.Create(CultureInfo.InvariantCulture, $"{skew.TotalSeconds:0.###} s");
        return skew <= MaximumClockSkew
            ? Fact("clockSkew", FactStatus.Pass, shown, Requirement)
            : Fact("clockSkew", FactStatus.Fail, shown, Requirement, "Synchronise the clock with the domain hierarchy (w32tm /resync, and check the PDC emulator's time source); Kerberos fails beyond 5 minutes.");
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Gibibytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GiB");

    private static FactCheck Fact(string name, FactStatus status, string value, string requirement, string? note = null) =>
        new() { Name = name, Status = status, Value = value, Requirement = requirement, Note = note };
}
