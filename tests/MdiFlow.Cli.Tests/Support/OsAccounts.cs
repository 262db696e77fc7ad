using System.Diagnostics;
using System.Security.Cryptography;

namespace MdiFlow.Cli.Tests.Support;

/// <summary>
/// Real operating-system accounts for one test: created with useradd, all members of one group of their own,
/// removed (with the group) when the test ends. Needs root, as CI has; see <see cref="RootFactAttribute"/>.
/// </summary>
public sealed class OsAccounts : IDisposable
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>Creates one account per person (for example "bob", "carol", "mallory").</summary>
    public OsAccounts(params string[] people)
    {
        var prefix = "mf" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        Group = prefix + "grp";
        Run("groupadd", Group);
        foreach (var person in people)
        {
            var name = prefix + person;
            Run("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "--gid", Group, name);
            _names[person] = name;
        }
    }

    /// <summary>Whether this process can create accounts (root on Linux, with useradd and runuser).</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/sbin/useradd") && File.Exists("/usr/sbin/runuser") && File.Exists("/usr/bin/unshare");

    /// <summary>The group every account belongs to.</summary>
    public string Group { get; }

    /// <summary>The account name of a person.</summary>
    public string this[string person] => _names[person];

    /// <summary>Gives the group a folder to share (setgid, group read and write), as an administrator sharing a store does.</summary>
    public void Share(string folder)
    {
        Run("chgrp", "-R", Group, folder);
        Run("chmod", "2770", folder);
    }

    /// <summary>Lets the group read and write a file (a store an administrator shares).</summary>
    public void ShareFile(string path)
    {
        Run("chgrp", Group, path);
        Run("chmod", "660", path);
    }

    public void Dispose()
    {
        foreach (var name in _names.Values)
        {
            Run("userdel", name);
        }

        Run("groupdel", Group);
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
        }
    }
}

/// <summary>A fact that runs commands as other operating-system accounts and under a system policy: it needs root on Linux (CI runs as root).</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OsAccounts.Available)
        {
            Skip = "Needs root on Linux (useradd, runuser, unshare) to act as other accounts and install a system policy; CI runs as root.";
        }
    }
}

/// <summary>A theory like <see cref="RootFactAttribute"/>.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!OsAccounts.Available)
        {
            Skip = "Needs root on Linux (useradd, runuser, unshare) to act as other accounts and install a system policy; CI runs as root.";
        }
    }
}
