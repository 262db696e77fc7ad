using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;

namespace MdiFlow.Security;

/// <summary>
/// Decides whether a file that grants rights (a policy, a journal key) can be trusted, as ssh does with its keys:
/// only its owner (this account or an administrator) may be able to change it, and nobody else may replace it
/// through the folders above it.
/// </summary>
public static class TrustedFile
{
    /// <summary>Why <paramref name="path"/> cannot be trusted, with the fix; null when it can.</summary>
    /// <param name="path">An existing file.</param>
    /// <param name="owners">Who may own it.</param>
    /// <param name="secret">True when others must not read it either (a key): group read is allowed, world read is not.</param>
    public static string? Problem(string path, TrustedOwners owners, bool secret)
    {
        var administratorsOnly = owners == TrustedOwners.Administrators;
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            return WindowsProblem(full, owners);
        }

        var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        var status = FileStatus.Of(target);
        if (status.Kind != FileKind.Regular)
        {
            return $"'{full}' is not a regular file.";
        }

        var expected = administratorsOnly ? "root" : "root or this account";
        if (owners != TrustedOwners.Anyone && status.OwnerId is { } owner && owner != 0 && (administratorsOnly || owner != FileStatus.CurrentUserId))
        {
            return $"'{full}' is owned by uid {owner}, not by {expected}, so its owner could change it. Fix: sudo chown root '{target}'.";
        }

        if (status.WritableByOthers)
        {
            return $"'{full}' can be written by its group or by everyone (mode {Octal(status.Mode)}). Fix: chmod go-w '{target}'.";
        }

        if (secret && status.ReadableByEveryone)
        {
            return $"'{full}' can be read by everyone (mode {Octal(status.Mode)}), so it is no secret. Fix: chmod o-rwx '{target}' (and replace the key: it may be known).";
        }

        for (var folder = Path.GetDirectoryName(target); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            var f = FileStatus.Of(folder);
            var sticky = f.Mode is { } m && (m & UnixFileMode.StickyBit) != 0;
            if (f.WritableByOthers && !sticky)
            {
                return $"The folder '{folder}' above '{full}' can be written by its group or by everyone (mode {Octal(f.Mode)}), so the file could be replaced. Fix: chmod go-w '{folder}'.";
            }

            if (f.OwnerId is { } folderOwner && folderOwner != 0 && folderOwner != FileStatus.CurrentUserId && folderOwner != status.OwnerId && !sticky)
            {
                return $"The folder '{folder}' above '{full}' is owned by uid {folderOwner}, who could replace the file. Fix: sudo chown root '{folder}'.";
            }
        }

        return null;
    }

    private static string Octal(UnixFileMode? mode) => mode is { } m ? Convert.ToString((int)m, 8).PadLeft(4, '0') : "unknown";

    [SupportedOSPlatform("windows")]
    private static string? WindowsProblem(string path, TrustedOwners owners)
    {
        var administratorsOnly = owners == TrustedOwners.Administrators;
        var security = new FileInfo(path).GetAccessControl();
        var owner = security.GetOwner(typeof(SecurityIdentifier)) as SecurityIdentifier;
        using var current = WindowsIdentity.GetCurrent();
        var trustedOwners = new List<SecurityIdentifier>
        {
            new(WellKnownSidType.BuiltinAdministratorsSid, null),
            new(WellKnownSidType.LocalSystemSid, null),
        };
        if (owners == TrustedOwners.Anyone)
        {
            return BroadWriteProblem(path, security);
        }

        if (!administratorsOnly && current.User is { } user)
        {
            trustedOwners.Add(user);
        }

        if (owner is null || !trustedOwners.Contains(owner))
        {
            return $"'{path}' is owned by {owner?.Value ?? "nobody"}, not by Administrators{(administratorsOnly ? "" : " or this account")}. Fix: takeown /A /F \"{path}\".";
        }

        return BroadWriteProblem(path, security);
    }

    [SupportedOSPlatform("windows")]
    private static string? BroadWriteProblem(string path, FileSecurity security)
    {
        const FileSystemRights Writes = FileSystemRights.WriteData | FileSystemRights.AppendData | FileSystemRights.ChangePermissions | FileSystemRights.TakeOwnership | FileSystemRights.Delete;
        var broad = new[] { WellKnownSidType.WorldSid, WellKnownSidType.BuiltinUsersSid, WellKnownSidType.AuthenticatedUserSid }
            .Select(t => new SecurityIdentifier(t, null)).ToList();
        foreach (FileSystemAccessRule rule in security.GetAccessRules(includeExplicit: true, includeInherited: true, typeof(SecurityIdentifier)))
        {
            if (rule.AccessControlType == AccessControlType.Allow && (rule.FileSystemRights & Writes) != 0 && broad.Contains((SecurityIdentifier)rule.IdentityReference))
            {
                return $"'{path}' can be changed by {rule.IdentityReference.Value}. Fix: icacls \"{path}\" /inheritance:r /grant:r Administrators:F SYSTEM:F.";
            }
        }

        return null;
    }
}

/// <summary>Who may own a file that grants rights.</summary>
public enum TrustedOwners
{
    /// <summary>Only root (Administrators or SYSTEM on Windows): a system policy.</summary>
    Administrators,

    /// <summary>Root or the account running this process: a policy a caller names.</summary>
    AdministratorsOrCaller,

    /// <summary>Whoever owns it (the store's administrator): a journal key beside its store.</summary>
    Anyone,
}
