using System.Text;

namespace MdiFlow.Sqlite;

/// <summary>
/// Tells whether a store path lies on a network file system, where SQLite's locks do not hold across hosts: a UNC
/// path or a mapped network drive on Windows; on Linux a path under an NFS, SMB/CIFS, sshfs (or similar) mount,
/// as <c>/proc/self/mountinfo</c> lists them.
/// </summary>
internal static class NetworkPaths
{
    /// <summary>File system types (mountinfo's fifth field after the separator) whose locks are not shared between hosts.</summary>
    private static readonly HashSet<string> NetworkTypes = new(StringComparer.Ordinal)
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "afs", "ceph", "glusterfs", "fuse.glusterfs",
    };

    /// <summary>What makes <paramref name="fullPath"/> a network path (for the message), or null for a local one.</summary>
    /// <param name="fullPath">The store's absolute path.</param>
    /// <param name="readMountInfo">Reads the mount table (the text of <c>/proc/self/mountinfo</c>); null where there is none.</param>
    public static string? Describe(string fullPath, Func<string?> readMountInfo)
    {
        ArgumentNullException.ThrowIfNull(readMountInfo);
        if (IsUnc(fullPath))
        {
            return "a network share (a UNC path)";
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.GetPathRoot(fullPath) is { Length: > 0 } root && IsNetworkDrive(root) ? $"the network drive {root}" : null;
        }

        if (readMountInfo() is not { } table)
        {
            return null;
        }

        var mount = Find(Parse(table), RealPath(fullPath));
        return mount is { } m && NetworkTypes.Contains(m.Type)
            ? $"a network file system ({m.Type} mount of {m.Source} at {m.MountPoint})"
            : null;
    }

    /// <summary>Reads this process's mount table; null where the system has none (not Linux).</summary>
    public static string? ReadMountInfo()
    {
        const string path = "/proc/self/mountinfo";
        try
        {
            return OperatingSystem.IsLinux() && File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True for <c>\\server\share\...</c>, <c>//server/share/...</c> and <c>\\?\UNC\server\share\...</c>; not for device paths such as <c>\\?\C:\</c> or <c>\\.\pipe\</c>.</summary>
    public static bool IsUnc(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.StartsWith(@"\\?\UNC\", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (path.Length < 3 || !IsSeparator(path[0]) || !IsSeparator(path[1]) || path[2] is '?' or '.')
        {
            return false;
        }

        // On Linux "//x" is a plain absolute path; only Windows reads it as a server.
        return OperatingSystem.IsWindows() || path[0] == '\\';

        static bool IsSeparator(char c) => c is '\\' or '/';
    }

    private static bool IsNetworkDrive(string root)
    {
        try
        {
            return new DriveInfo(root).DriveType == DriveType.Network;
        }
        catch (ArgumentException)
        {
            return false; // a device path (\\?\C:\): not a drive letter
        }
    }

    /// <summary>The mounts of a mountinfo text, in order: later lines are mounted over earlier ones.</summary>
    public static IReadOnlyList<Mount> Parse(string mountInfo)
    {
        var mounts = new List<Mount>();
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // id parent major:minor root mount-point options [optional...] - type source super-options
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-", 6);
            if (fields.Length < 7 || separator < 0 || separator + 2 >= fields.Length)
            {
                continue;
            }

            mounts.Add(new Mount(Unescape(fields[4]), fields[separator + 1], Unescape(fields[separator + 2])));
        }

        return mounts;
    }

    /// <summary>The mount that holds <paramref name="path"/>: the longest mount point above it, the last one mounted if several.</summary>
    public static Mount? Find(IReadOnlyList<Mount> mounts, string path)
    {
        Mount? found = null;
        foreach (var mount in mounts)
        {
            var point = mount.MountPoint;
            var holds = point == "/" || path == point || path.StartsWith(point.EndsWith('/') ? point : point + "/", StringComparison.Ordinal);
            if (holds && (found is null || point.Length >= found.MountPoint.Length))
            {
                found = mount;
            }
        }

        return found;
    }

    /// <summary>The path with the symbolic links of its existing parts resolved, so a link into a network mount is seen for what it is.</summary>
    private static string RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            try
            {
                FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
                if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                {
                    next = target.FullName;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Unreadable: judge the path as written.
            }

            current = next;
        }

        return current;
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as three octal digits after a backslash.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field.AsSpan(i + 1, 3)))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();

        static bool IsOctal(ReadOnlySpan<char> digits) => digits.IndexOfAnyExcept("01234567") < 0;
    }
}

/// <summary>One line of the mount table.</summary>
/// <param name="MountPoint">Where it is mounted.</param>
/// <param name="Type">Its file system type (<c>ext4</c>, <c>nfs4</c>, <c>cifs</c>, <c>fuse.sshfs</c>...).</param>
/// <param name="Source">What is mounted (<c>/dev/sda1</c>, <c>server:/export</c>, <c>//server/share</c>).</param>
internal sealed record Mount(string MountPoint, string Type, string Source);
