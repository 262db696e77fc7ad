using System.Runtime.Versioning;
using Microsoft.Win32;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Windows;

/// <summary>The registry values the MDI checks read.</summary>
[SupportedOSPlatform("windows")]
internal static class WindowsRegistry
{
    /// <summary>The .NET Framework 4.x Release value, or null when 4.5 or later is not installed.</summary>
    public static int? DotNetFrameworkRelease() =>
        Read(RegistryView.Registry64, @"SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full", "Release") as int?;

    /// <summary>Whether Defender for Endpoint reports this machine onboarded (OnboardingState 1).</summary>
    public static bool DefenderForEndpointOnboarded() =>
        Read(RegistryView.Registry64, @"SOFTWARE\Microsoft\Windows Advanced Threat Protection\Status", "OnboardingState") is 1;

    /// <summary>The update build revision (UBR) of the installed cumulative update, for example 4893 in 10.0.20348.4893.</summary>
    public static int? UpdateBuildRevision() =>
        Read(RegistryView.Registry64, @"SOFTWARE\Microsoft\Windows NT\CurrentVersion", "UBR") as int?;

    /// <summary>Why a restart is pending, by the markers Windows servicing leaves: empty when none.</summary>
    public static IReadOnlyList<string> PendingRestartReasons()
    {
        var reasons = new List<string>();
        if (Exists(RegistryView.Registry64, @"SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending"))
        {
            reasons.Add("Component Based Servicing (RebootPending)");
        }

        if (Exists(RegistryView.Registry64, @"SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired"))
        {
            reasons.Add("Windows Update (RebootRequired)");
        }

        if (Read(RegistryView.Registry64, @"SYSTEM\CurrentControlSet\Control\Session Manager", "PendingFileRenameOperations") is string[] { Length: > 0 })
        {
            reasons.Add("pending file renames (PendingFileRenameOperations)");
        }

        var active = Read(RegistryView.Registry64, @"SYSTEM\CurrentControlSet\Control\ComputerName\ActiveComputerName", "ComputerName") as string;
        var next = Read(RegistryView.Registry64, @"SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName", "ComputerName") as string;
        if (active is not null && next is not null && !string.Equals(active, next, StringComparison.OrdinalIgnoreCase))
        {
            reasons.Add($"computer rename ({active} to {next})");
        }

        return reasons;
    }

    /// <summary>SystemDefaultTlsVersions and SchUseStrongCrypto for .NET Framework 4, 64- and 32-bit.</summary>
    public static IReadOnlyList<RegistryValueFact> TlsSettings()
    {
        string[] keys = [@"SOFTWARE\Microsoft\.NETFramework\v4.0.30319", @"SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319"];
        return [.. keys.SelectMany(key => new[] { "SystemDefaultTlsVersions", "SchUseStrongCrypto" }
            .Select(name => new RegistryValueFact(key, name, Read(RegistryView.Registry64, key, name) is int value ? value : null)))];
    }

    /// <summary>A DWORD (or QWORD) under HKLM in the 64-bit view; null when it is not set.</summary>
    public static long? Number(string path, string name) => Read(RegistryView.Registry64, path, name) switch
    {
        int value => value,
        long value => value,
        _ => null,
    };

    /// <summary>A string under HKLM in the 64-bit view; null when it is not set.</summary>
    public static string? Text(string path, string name) => Read(RegistryView.Registry64, path, name) as string;

    private static object? Read(RegistryView view, string path, string name)
    {
        using var root = RegistryKey.OpenBaseKey(RegistryHive.LocalMachine, view);
        using var key = root.OpenSubKey(path);
        return key?.GetValue(name);
    }

    private static bool Exists(RegistryView view, string path)
    {
        using var root = RegistryKey.OpenBaseKey(RegistryHive.LocalMachine, view);
        using var key = root.OpenSubKey(path);
        return key is not null;
    }
}
