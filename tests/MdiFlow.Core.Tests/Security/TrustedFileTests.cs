using MdiFlow.Journal;
using MdiFlow.Security;
using MdiFlow.Testing;

namespace MdiFlow.Core.Tests.Security;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TrustedFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_file_only_its_owner_may_change_is_trusted_and_one_others_may_write_is_not()
    {
        var path = _dir.Combine("policy.json");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        TrustedFile.Problem(path, TrustedOwners.AdministratorsOrCaller, secret: false).Should().BeNull();

        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_110);

        TrustedFile.Problem(path, TrustedOwners.AdministratorsOrCaller, secret: false).Should().Be($"'{path}' can be written by its group or by everyone (mode 0646). Fix: chmod go-w '{path}'.");
    }

    [Fact]
    public void A_file_in_a_folder_others_may_write_is_not_trusted_but_a_sticky_folder_is_fine()
    {
        var folder = _dir.Combine("shared");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "policy.json");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);

        TrustedFile.Problem(path, TrustedOwners.AdministratorsOrCaller, secret: false).Should().Contain($"The folder '{folder}' above").And.Contain("chmod go-w");

        File.SetUnixFileMode(folder, (UnixFileMode)0b1_111_111_111);
        TrustedFile.Problem(path, TrustedOwners.AdministratorsOrCaller, secret: false).Should().BeNull("a sticky folder lets nobody replace another's file");
    }

    [Fact]
    public void A_journal_key_is_created_owner_only_and_refused_once_everyone_may_read_it()
    {
        var path = _dir.Combine("store.db.key");

        var key = JournalKey.LoadOrCreate(path);

        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        JournalKey.Load(path).Id.Should().Be(key.Id).And.MatchRegex("^k1-[0-9a-f]{16}$");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        FluentActions.Invoking(() => JournalKey.Load(path)).Should().Throw<JournalKeyException>().WithMessage("*can be read by everyone (mode 0644), so it is no secret*");
        File.WriteAllText(path, "not a key");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        FluentActions.Invoking(() => JournalKey.Load(path)).Should().Throw<JournalKeyException>().WithMessage("*is not an MdiFlow journal key*");
    }

    [Fact]
    public void The_file_status_tells_a_fifo_and_a_device_from_a_file()
    {
        FileStatus.Of("/dev/zero").Kind.Should().Be(FileKind.Other);
        FileStatus.Of(_dir.Path).Kind.Should().Be(FileKind.Directory);
        FileStatus.Of(_dir.Combine("none")).Exists.Should().BeFalse();
        FileStatus.CurrentUserId.Should().NotBeNull();
    }

    public void Dispose() => _dir.Dispose();
}
