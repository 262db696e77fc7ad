using MdiFlow.Testing;

namespace MdiFlow.Plugins.Standard.Tests.Support;

/// <summary>What these tests ask of a <see cref="TempDirectory"/> beyond creating paths in it.</summary>
internal static class TempDirectoryExtensions
{
    /// <summary>Every file and folder below the folder, as sorted relative paths with '/' separators.</summary>
    public static IReadOnlyList<string> Tree(this TempDirectory temp) =>
        [.. Directory.EnumerateFileSystemEntries(temp.Path, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(temp.Path, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    public static void MakeExecutable(this TempDirectory temp, string relative)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp.Combine(relative), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
