using MdiFlow.Journal;
using MdiFlow.Testing;

namespace MdiFlow.PostgreSql.Tests.Support;

/// <summary>
/// The host's journal key as an administrator installs it on every host of one PostgreSQL store
/// (<c>/etc/mdiflow/journal.key</c>): each command sees it there for real, in a private mount namespace where this
/// folder is bind-mounted over /etc/mdiflow, so the machine's own /etc is never changed.
/// </summary>
internal sealed class SystemKey : IDisposable
{
    private readonly TempDirectory _folder = new();

    /// <summary>Installs a new key, and the policy <paramref name="policyJson"/> beside it when given (<c>/etc/mdiflow/policy.json</c>).</summary>
    public SystemKey(string? policyJson = null)
    {
        Key = JournalKey.LoadOrCreate(File);
        if (policyJson is not null)
        {
            System.IO.File.WriteAllText(_folder.Combine("policy.json"), policyJson);
        }
    }

    /// <summary>Where commands find it.</summary>
    public const string MountPoint = "/etc/mdiflow";

    /// <summary>The key file as the test sees it (not its mounted path).</summary>
    public string File => _folder.Combine("journal.key");

    public JournalKey Key { get; }

    /// <summary><paramref name="command"/> run with this folder mounted over /etc/mdiflow.</summary>
    public string[] Wrap(string[] command)
    {
        Directory.CreateDirectory(MountPoint);
        return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", "mount --bind \"$0\" /etc/mdiflow && exec \"$@\"", _folder.Path, .. command];
    }

    public void Dispose() => _folder.Dispose();
}
