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

    /// <summary>The DisplayVersion of an installed program's uninstall entry (64- or 32-bit), for example <c>WinPcapInst</c> or <c>NpcapInst</c>.</summary>
    public static string? InstalledVersion(string uninstallKey)
    {
        var key = @"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\" + uninstallKey;
        var found = Read(RegistryView.Registry64, key, "DisplayVersion") ?? Read(RegistryView.Registry32, key, "DisplayVersion");
        if (found is not null)
        {
            return found.ToString();
        }

        // Installed but without a version: report that it is there.
        return Exists(RegistryView.Registry64, key) || Exists(RegistryView.Registry32, key) ? "unknown version" : null;
    }

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
