using System.Security.Principal;

namespace MdiFlow.Plugins.Standard.Processes;

/// <summary>Whether the host process runs with administrator rights.</summary>
internal static class Elevation
{
    public static bool IsElevated()
    {
        if (OperatingSystem.IsWindows())
        {
            // Under UAC an administrator's unelevated token has the Administrators group only for deny, so IsInRole is false.
            using var identity = WindowsIdentity.GetCurrent();
            return new WindowsPrincipal(identity).IsInRole(WindowsBuiltInRole.Administrator);
        }

        // On Unix: the effective user id is 0.
        return Environment.IsPrivilegedProcess;
    }

    public static string Describe() => OperatingSystem.IsWindows() ? "elevated (Run as administrator)" : "as root";
}
