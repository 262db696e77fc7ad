using MdiFlow.Storage;
using MdiFlow.Testing;

namespace MdiFlow.Sqlite.Tests;

/// <summary>A SQLite store on a network file system is refused, pointing to PostgreSQL; detected from a mountinfo fixture.</summary>
public sealed class NetworkPathsTests : IDisposable
{
    private static readonly string Fixture = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mountinfo.txt"));
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("/srv/rollout/mdiflow.db", "a network file system (nfs4 mount of fileserver01.contoso.com:/exports/rollout at /srv/rollout)")]
    [InlineData("/srv/rollout", "a network file system (nfs4 mount of fileserver01.contoso.com:/exports/rollout at /srv/rollout)")]
    [InlineData("/mnt/change board/stores/mdiflow.db", "a network file system (cifs mount of //fs02/change board at /mnt/change board)")]
    [InlineData("/home/zoe/remote/mdiflow.db", "a network file system (fuse.sshfs mount of zoe@jump01:/var/mdiflow at /home/zoe/remote)")]
    [InlineData("/mnt/smb/mdiflow.db", "a network file system (smb3 mount of //fs03/ops at /mnt/smb)")]
    [InlineData("/var/lib/nfsish/a/b/c.db", "a network file system (nfs mount of fs05:/data at /var/lib/nfsish)")]
    public void A_path_under_a_network_mount_is_a_network_path(string path, string description)
    {
        NetworkPaths.Describe(path, () => Fixture).Should().Be(description);
    }

    [Theory]
    [InlineData("/srv/rollout/local/mdiflow.db")] // a local disk mounted inside the network mount
    [InlineData("/srv/rolloutarchive/mdiflow.db")] // a name that merely starts like the network mount
    [InlineData("/mnt/was-nfs/mdiflow.db")] // a local disk mounted over an earlier network mount
    [InlineData("/dev/shm/mdiflow.db")]
    [InlineData("/var/lib/mdiflow/mdiflow.db")]
    public void A_path_on_a_local_mount_is_not(string path)
    {
        NetworkPaths.Describe(path, () => Fixture).Should().BeNull();
    }

    [Fact]
    public void Without_a_mount_table_a_local_path_is_not_a_network_path()
    {
        NetworkPaths.Describe("/srv/rollout/mdiflow.db", () => null).Should().BeNull();
    }

    [Theory]
    [InlineData(@"\\fs02\change board\mdiflow.db", true)]
    [InlineData(@"\\?\UNC\fs02\share\mdiflow.db", true)]
    [InlineData(@"\\?\C:\stores\mdiflow.db", false)]
    [InlineData(@"\\.\pipe\mdiflow", false)]
    [InlineData(@"C:\stores\mdiflow.db", false)]
    [InlineData("/srv/stores/mdiflow.db", false)]
    public void Unc_paths_are_network_paths_and_device_paths_are_not(string path, bool unc)
    {
        NetworkPaths.IsUnc(path).Should().Be(unc);
    }

    [Fact]
    public void A_unc_path_is_described_as_a_network_share()
    {
        NetworkPaths.Describe(@"\\fs02\share\mdiflow.db", () => null).Should().Be("a network share (a UNC path)");
    }

    [Fact]
    public void A_symbolic_link_into_a_network_mount_is_followed()
    {
        var link = _directory.Combine("rollout-link");
        Directory.CreateSymbolicLink(link, "/srv/rollout");
        var mounts = NetworkPaths.Parse(Fixture).Append(new Mount(_directory.Path, "ext4", "/dev/vda1"));
        var table = string.Join('\n', mounts.Select((m, i) => $"{100 + i} 27 0:1 / {m.MountPoint.Replace(" ", "\\040", StringComparison.Ordinal)} rw - {m.Type} {m.Source.Replace(" ", "\\040", StringComparison.Ordinal)} rw"));

        NetworkPaths.Describe(Path.Combine(link, "mdiflow.db"), () => table).Should().StartWith("a network file system (nfs4 mount");
    }

    [Fact]
    public async Task A_store_on_a_network_file_system_is_refused_before_anything_is_created_with_a_message_that_points_to_postgres()
    {
        var path = _directory.Combine("mdiflow.db");
        var table = Fixture + $"\n99 27 0:99 / {_directory.Path} rw,relatime - nfs4 fileserver01:/exports/stores rw\n";
        using var store = new SqliteWorkflowStore(new SqliteStoreOptions { Path = path, ReadMountInfo = () => table });

        var open = async () => await store.OpenAsync();

        (await open.Should().ThrowAsync<StoreException>()).WithMessage(
            $"The store '{path}' is on a network file system (nfs4 mount of fileserver01:/exports/stores at {_directory.Path}). SQLite's file locks do not hold across hosts there, so two hosts could write the store at once and corrupt it. Keep a SQLite store on a local disk of the one host that runs mdiflow, or share one store between hosts with PostgreSQL: --store 'postgres:Host=...;Database=...' (see docs/postgresql.md). Nothing was created or changed.");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public async Task A_store_on_a_local_disk_of_this_machine_opens()
    {
        using var store = new SqliteWorkflowStore(_directory.Combine("mdiflow.db"));

        await store.OpenAsync();

        NetworkPaths.Describe(store.Path, NetworkPaths.ReadMountInfo).Should().BeNull("the test folder is on a local disk here");
    }
}
