using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MdiFlow.Security;

/// <summary>What the file system says about a path without opening it: its type, owner and permission bits.</summary>
/// <param name="Exists">Whether anything is at the path.</param>
/// <param name="Kind">A regular file, a folder, or something else (a FIFO, a device, a socket).</param>
/// <param name="OwnerId">The owner's uid on Unix; null where it cannot be told (Windows, or a system without <c>statx</c>).</param>
/// <param name="GroupId">The owning group's gid on Unix; null where it cannot be told.</param>
/// <param name="Mode">The permission bits on Unix (<c>0777</c> part); null on Windows.</param>
/// <param name="Length">The size in bytes of a regular file.</param>
public readonly record struct FileStatus(bool Exists, FileKind Kind, uint? OwnerId, uint? GroupId, UnixFileMode? Mode, long Length)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int ModeTypeMask = 0xF000;
    private const int ModeRegular = 0x8000;
    private const int ModeDirectory = 0x4000;
    private const int ModeLink = 0xA000;

    /// <summary>Whether group or others may write it.</summary>
    public bool WritableByOthers => Mode is { } mode && (mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;

    /// <summary>Whether anyone but the owner and the group may read it.</summary>
    public bool ReadableByEveryone => Mode is { } mode && (mode & UnixFileMode.OtherRead) != 0;

    /// <summary>Reads the status of <paramref name="path"/>, not following a final symbolic link.</summary>
    public static FileStatus Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsWindows() && Statx(path) is { } unix)
        {
            return unix;
        }

        var info = new FileInfo(path);
        if (info.Exists)
        {
            return new FileStatus(true, info.LinkTarget is null ? FileKind.Regular : FileKind.Other, null, null, OperatingSystem.IsWindows() ? null : info.UnixFileMode, info.Length);
        }

        return Directory.Exists(path) ? new FileStatus(true, FileKind.Directory, null, null, null, 0) : default;
    }

    /// <summary>The effective uid of this process on Unix; null on Windows.</summary>
    public static uint? CurrentUserId => OperatingSystem.IsWindows() ? null : NativeMethods.geteuid();

    private static FileStatus? Statx(string path)
    {
        var buffer = new byte[256];
        try
        {
            if (NativeMethods.statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno is 2 or 20 ? default(FileStatus) : null; // ENOENT, ENOTDIR: nothing there
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null; // not Linux with glibc 2.28+: fall back to what .NET tells
        }

        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28));
        var kind = (mode & ModeTypeMask) switch
        {
            ModeRegular => FileKind.Regular,
            ModeDirectory => FileKind.Directory,
            ModeLink => FileKind.Link,
            _ => FileKind.Other,
        };
        return new FileStatus(
            true,
            kind,
            BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20)),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(24)),
            (UnixFileMode)(mode & 0xFFF),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(40)));
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int statx(int dirfd, string pathname, int flags, uint mask, byte[] statxbuf);

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern uint geteuid();
    }
}

/// <summary>What is at a path.</summary>
public enum FileKind
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A symbolic link.</summary>
    Link,

    /// <summary>A FIFO, a device, a socket: never read as a file.</summary>
    Other,
}
