using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;

namespace MdiFlow.Security;

/// <summary>
/// Creates a new file only the current account can read, restricted from the moment it exists: mode 0600 on
/// Unix; on Windows an access list, not inherited, granting the current user and SYSTEM (which can read any file anyway).
/// </summary>
public static class PrivateFile
{
    /// <summary>Creates <paramref name="path"/>, which must not exist (an existing file or link is never followed).</summary>
    /// <exception cref="IOException">The file exists or cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    public static FileStream CreateNew(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return CreateNewOnWindows(path);
        }

        return new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no byte order mark) to a new private file.</summary>
    /// <exception cref="IOException">The file exists or cannot be created.</exception>
    public static void WriteNew(string path, string text)
    {
        using var stream = CreateNew(path);
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.Write(text);
    }

    /// <summary>Creates a folder only the current account can open (on Windows it inherits its parent's access list).</summary>
    public static DirectoryInfo CreateDirectory(string path) =>
        OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    [SupportedOSPlatform("windows")]
    private static FileStream CreateNewOnWindows(string path)
    {
        using var identity = WindowsIdentity.GetCurrent();
        var security = new FileSecurity();
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        security.AddAccessRule(new FileSystemAccessRule(identity.User!, FileSystemRights.FullControl, AccessControlType.Allow));
        security.AddAccessRule(new FileSystemAccessRule(new SecurityIdentifier(WellKnownSidType.LocalSystemSid, null), FileSystemRights.FullControl, AccessControlType.Allow));
        return new FileInfo(path).Create(FileMode.CreateNew, FileSystemRights.Write | FileSystemRights.ReadPermissions, FileShare.None, 4096, FileOptions.None, security);
    }
}
