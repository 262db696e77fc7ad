using System.Security.Cryptography;

namespace MdiFlow.Cli.Tests.Support;

/// <summary>
/// What an administrator installs in /etc/mdiflow: the policy and the host's journal key. Commands see it there for
/// real: each runs in a private mount namespace where this folder is bind-mounted over /etc/mdiflow, so the test never
/// changes the machine's own /etc.
/// </summary>
public sealed class SystemPolicy : IDisposable
{
    private readonly MdiFlow.Testing.TempDirectory _folder = new();

    public SystemPolicy(string policyJson, string? keyGroup = null)
    {
        Directory.CreateDirectory(MountPoint);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("A system policy is mounted for tests on Linux only.");
        }

        File.WriteAllText(PolicyFile, policyJson);
        File.SetUnixFileMode(PolicyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        if (keyGroup is not null)
        {
            File.WriteAllText(KeyFile, $"mdiflow-journal-key-v1 {Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}\n");
            File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            using var chgrp = System.Diagnostics.Process.Start("chgrp", [keyGroup, KeyFile])!;
            chgrp.WaitForExit();
        }
    }

    /// <summary>Where commands find it.</summary>
    public const string MountPoint = "/etc/mdiflow";

    /// <summary>The folder bind-mounted over <see cref="MountPoint"/>.</summary>
    public string Folder => _folder.Path;

    /// <summary>The policy file as the test sees it (not its mounted path).</summary>
    public string PolicyFile => _folder.Combine("policy.json");

    /// <summary>The host's journal key as the test sees it.</summary>
    public string KeyFile => _folder.Combine("journal.key");

    public void Dispose() => _folder.Dispose();
}
