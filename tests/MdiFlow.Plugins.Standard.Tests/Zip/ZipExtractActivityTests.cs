using MdiFlow.Testing.Platforms;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using MdiFlow.Plugins.Standard.Tests.Support;
using MdiFlow.Testing;
using MdiFlow.Plugins.Standard.Zip;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.Standard.Tests.Zip;

public sealed class ZipExtractActivityTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ZipExtractActivityTests()
    {
        Archive = _temp.Combine("in/package.zip");
        Destination = _temp.Combine("out/package");
    }

    private string Archive { get; }

    private string Destination { get; }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Extracts_files_and_folders_and_reports_the_full_path_and_file_count()
    {
        new ZipBuilder()
            .File("setup.exe", "MZ")
            .File("config/app.json", "{}")
            .Folder("docs")
            .File("bin\\tool.dll", "dll")
            .WriteTo(Archive);

        var output = (await RunAsync()).ShouldComplete<ZipExtractOutput>();

        output.Should().Be(new ZipExtractOutput { Directory = Path.GetFullPath(Destination), Files = 3 });
        _temp.Tree().Should().Equal(
            "in", "in/package.zip", "out", "out/package",
            "out/package/bin", "out/package/bin/tool.dll", "out/package/config", "out/package/config/app.json",
            "out/package/docs", "out/package/setup.exe");
        (await File.ReadAllTextAsync(Path.Join(Destination, "config", "app.json"))).Should().Be("{}");
        Directory.EnumerateDirectories(Path.GetTempPath(), "mdiflow-archive-*").Should().NotContain(d => Directory.EnumerateFiles(d).Any(f => f.Contains(_temp.Path, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("../../evil.txt")]
    [InlineData("a/../../evil.txt")]
    [InlineData("..\\evil.txt")]
    [InlineData("a\\..\\..\\evil.txt")]
    [InlineData("/mdiflow-abs-evil.txt")]
    [InlineData("C:\\evil.txt")]
    [InlineData("C:evil.txt")]
    [InlineData("\\\\mdiflow-server\\share\\evil.txt")]
    public async Task Refuses_the_whole_archive_when_an_entry_escapes_and_writes_nothing(string hostile)
    {
        new ZipBuilder().File("good.txt", "good").File(hostile, "evil").WriteTo(Archive);

        var error = (await RunAsync()).ShouldFail("zip.entryEscapes");

        error.Message.Should().StartWith($"The archive '{Archive}' holds the entry '{hostile}', which would be written outside the destination (");
        error.Message.Should().EndWith("). The destination was left untouched.");
        error.Details.Should().Contain("entry", hostile);
        _temp.Tree().Should().Equal("in", "in/package.zip");
        File.Exists("/mdiflow-abs-evil.txt").Should().BeFalse();
        Directory.Exists("/mdiflow-server").Should().BeFalse();
    }

    [Fact]
    public async Task Refuses_an_archive_holding_a_symbolic_link()
    {
        new ZipBuilder().File("good.txt", "good").Link("etc-link", "/etc").WriteTo(Archive);

        var error = (await RunAsync()).ShouldFail("zip.link");

        error.Message.Should().Be($"The archive '{Archive}' holds the entry 'etc-link', which is a symbolic link; a link could point anywhere on this host. The destination was left untouched.");
        _temp.Tree().Should().Equal("in", "in/package.zip");
    }

    [Fact]
    public async Task Refuses_an_archive_with_more_entries_than_the_limit()
    {
        new ZipBuilder().File("1", "1").File("2", "2").File("3", "3").File("4", "4").WriteTo(Archive);

        var error = (await RunAsync(options: new ZipExtractOptions { MaxEntries = 3 })).ShouldFail("zip.tooManyEntries");

        error.Message.Should().Be($"The archive '{Archive}' holds 4 entries, more than the limit of 3. The destination was left untouched.");
        error.Fix.Should().Contain("MaxEntries");
        _temp.Tree().Should().Equal("in", "in/package.zip");
    }

    [Fact]
    public async Task Refuses_a_zip_bomb_by_its_compression_ratio()
    {
        new ZipBuilder().File("readme.txt", "hello").File("zeros.bin", new byte[20 * 1024 * 1024], CompressionLevel.SmallestSize).WriteTo(Archive);

        var error = (await RunAsync()).ShouldFail("zip.ratio");

        error.Message.Should().StartWith($"The entry 'zeros.bin' of the archive '{Archive}' expands ");
        error.Message.Should().Contain("more than the limit of 200-fold; archives built like this are zip bombs.");
        _temp.Tree().Should().Equal("in", "in/package.zip");
    }

    [Fact]
    public async Task Refuses_an_archive_that_expands_past_the_size_limit()
    {
        new ZipBuilder()
            .File("a.bin", RandomNumberGenerator.GetBytes(600_000), CompressionLevel.NoCompression)
            .File("b.bin", RandomNumberGenerator.GetBytes(600_000), CompressionLevel.NoCompression)
            .WriteTo(Archive);

        var error = (await RunAsync(options: new ZipExtractOptions { MaxTotalBytes = 1024 * 1024 })).ShouldFail("zip.tooLarge");

        error.Message.Should().Be($"The archive '{Archive}' expands to more than the limit of 1 MiB (1,048,576 bytes). The destination was left untouched.");
        _temp.Tree().Should().Equal("in", "in/package.zip");
    }

    [Theory]
    [InlineData(1_000u)]
    [InlineData(200_000u)]
    public async Task Does_not_trust_the_size_an_entry_declares(uint declared)
    {
        var zip = new ZipBuilder().File("first.txt", "first").File("data.bin", new byte[100_000]).ToBytes();
        ZipBuilder.Write(Archive, ZipBuilder.DeclareSize(zip, "data.bin", declared));

        var error = (await RunAsync()).ShouldFail("zip.corrupt");

        error.Message.Should().Be($"The entry 'data.bin' of the archive '{Archive}' cannot be extracted: its data does not match the size and checksum the archive records for it. The destination was left untouched.");
        _temp.Tree().Should().Equal("in", "in/package.zip", "out");
    }

    [Fact]
    public async Task A_crash_mid_extract_leaves_no_destination_that_looks_complete()
    {
        var zip = new ZipBuilder().File("first.txt", "extracted before the failure").File("second.txt", "never readable").ToBytes();
        ZipBuilder.Write(Archive, ZipBuilder.BreakLocalHeader(zip, "second.txt"));

        var error = (await RunAsync()).ShouldFail("zip.corrupt");

        error.Message.Should().Be($"The entry 'second.txt' of the archive '{Archive}' cannot be extracted: A local file header is corrupt. The destination was left untouched.");
        Directory.Exists(Destination).Should().BeFalse();
        _temp.Tree().Should().Equal("in", "in/package.zip", "out");
    }

    [Fact]
    public async Task Detects_damaged_data_by_its_checksum()
    {
        var zip = new ZipBuilder().File("data.txt", "important content", CompressionLevel.NoCompression).ToBytes();
        ZipBuilder.Write(Archive, ZipBuilder.FlipDataByte(zip, "data.txt"));

        (await RunAsync()).ShouldFail("zip.corrupt");

        _temp.Tree().Should().Equal("in", "in/package.zip", "out");
    }

    [Fact]
    public async Task A_file_that_is_not_a_zip_fails_as_corrupt()
    {
        ZipBuilder.Write(Archive, Encoding.UTF8.GetBytes("<html>Sign in to download</html>"));

        var error = (await RunAsync()).ShouldFail("zip.corrupt");

        error.Message.Should().StartWith($"The file '{Archive}' is not a readable zip archive: ");
        _temp.Tree().Should().Equal("in", "in/package.zip");
    }

    [Fact]
    public async Task Refuses_an_archive_that_holds_the_same_path_twice()
    {
        new ZipBuilder().File("a.txt", "one").File("a.txt", "two").WriteTo(Archive);

        var error = (await RunAsync()).ShouldFail("zip.corrupt");

        error.Message.Should().Contain("another entry already wrote a file or folder at the same path");
        _temp.Tree().Should().Equal("in", "in/package.zip", "out");
    }

    [Fact]
    public async Task Refuses_an_archive_where_a_file_and_a_folder_share_a_path()
    {
        new ZipBuilder().File("lib", "a file").File("lib/a.dll", "a").WriteTo(Archive);

        var error = (await RunAsync()).ShouldFail("zip.corrupt");

        error.Message.Should().Contain("'lib/a.dll'").And.Contain("its folder clashes with a file another entry wrote");
        _temp.Tree().Should().Equal("in", "in/package.zip", "out");
    }

    [Fact]
    public async Task A_missing_archive_fails_with_zip_notFound()
    {
        var error = (await RunAsync()).ShouldFail("zip.notFound");

        error.Message.Should().Be($"The archive '{Archive}' of step 'step' does not exist or is not a file.");
        _temp.Tree().Should().BeEmpty();
    }

    [Fact]
    public async Task A_different_SHA256_fails_with_zip_hashMismatch_and_writes_nothing()
    {
        new ZipBuilder().File("a.txt", "a").WriteTo(Archive);
        var expected = new string('0', 64);

        var error = (await RunAsync(sha256: expected)).ShouldFail("zip.hashMismatch");

        error.Message.Should().Be($"The archive '{Archive}' has the SHA-256 {Sha256(Archive)}, but step 'step' expects {expected}. It is not the file the workflow was written for, or it was damaged in transit. The destination was left untouched.");
        error.Details.Should().Contain("actual", Sha256(Archive)).And.Contain("expected", expected);
        _temp.Tree().Should().Equal("in", "in/package.zip");
    }

    [Fact]
    public async Task Compares_the_SHA256_without_regard_to_case()
    {
        new ZipBuilder().File("a.txt", "a").WriteTo(Archive);

        var output = (await RunAsync(sha256: Sha256(Archive).ToUpperInvariant())).ShouldComplete<ZipExtractOutput>();

        output.Files.Should().Be(1);
    }

    [Fact]
    public async Task Recovering_an_attempt_that_moved_its_extraction_into_place_completes_without_extracting_again()
    {
        new ZipBuilder().File("setup.exe", "MZ").File("lib/a.dll", "a").WriteTo(Archive);
        var first = (await RunAsync()).ShouldComplete<ZipExtractOutput>();

        var second = (await RunAsync(sha256: Sha256(Archive), isRecovery: true)).ShouldComplete<ZipExtractOutput>();

        second.Should().Be(first);
        _temp.Tree().Should().NotContain(p => p.Contains(".partial-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_destination_that_already_holds_the_package_is_refused_unless_the_step_recovers_its_own_attempt()
    {
        new ZipBuilder().File("setup.exe", "MZ").WriteTo(Archive);
        (await RunAsync()).ShouldComplete<ZipExtractOutput>();

        (await RunAsync()).ShouldFail("zip.destinationExists").Message.Should().Contain("already exists and holds other content");
    }

    [Fact]
    public async Task A_pre_planted_completion_marker_does_not_make_the_step_succeed()
    {
        new ZipBuilder().File("setup.exe", "MZ").WriteTo(Archive);
        Directory.CreateDirectory(Destination);
        await File.WriteAllTextAsync(Path.Join(Destination, ".mdiflow-extracted"), $"{Sha256(Archive)}\n1\n");
        await File.WriteAllTextAsync(Path.Join(Destination, "setup.exe"), "planted");

        var fresh = (await RunAsync(sha256: Sha256(Archive))).ShouldFail("zip.destinationExists");
        var recovering = (await RunAsync(sha256: Sha256(Archive), isRecovery: true)).ShouldFail("zip.destinationExists");

        recovering.Message.Should().Contain("holds content that is not exactly this archive's");
        fresh.Message.Should().Contain("Nothing was changed");
        (await File.ReadAllTextAsync(Path.Join(Destination, "setup.exe"))).Should().Be("planted");
    }

    [Fact]
    public async Task A_recovery_refuses_a_destination_with_one_file_more_than_the_archive()
    {
        new ZipBuilder().File("setup.exe", "MZ").WriteTo(Archive);
        (await RunAsync()).ShouldComplete<ZipExtractOutput>();
        await File.WriteAllTextAsync(Path.Join(Destination, "extra.dll"), "foreign");

        (await RunAsync(isRecovery: true)).ShouldFail("zip.destinationExists").Message.Should().Contain("not exactly this archive's");
    }

    [Fact]
    public async Task The_archive_swapped_while_the_step_runs_never_extracts_anything_but_the_hashed_bytes()
    {
        var good = _temp.Combine("in/good.zip");
        var evil = _temp.Combine("in/evil.zip");
        new ZipBuilder().File("setup.exe", "the vendor's setup").WriteTo(good);
        new ZipBuilder().File("setup.exe", "mallory's setup").WriteTo(evil);
        var expected = Sha256(good);
        File.Copy(good, Archive);
        using var stop = new CancellationTokenSource();
        var swapper = Task.Run(() =>
        {
            var flip = false;
            while (!stop.IsCancellationRequested)
            {
                File.Copy(flip ? evil : good, Archive + ".tmp", overwrite: true);
                File.Move(Archive + ".tmp", Archive, overwrite: true);
                flip = !flip;
            }
        });

        var completed = 0;
        for (var run = 0; run < 60; run++)
        {
            var destination = _temp.Combine($"out/run{run}");
            var result = await new ZipExtractActivity(Options.Create(new ZipExtractOptions()))
                .RunAsync(new ZipExtractInput { Archive = Archive, Destination = destination, Sha256 = expected });
            if (result is MdiFlow.Activities.ActivityResult.Completed)
            {
                completed++;
                (await File.ReadAllTextAsync(Path.Join(destination, "setup.exe"))).Should().Be("the vendor's setup", $"run {run} completed, so it must hold the hashed archive's content");
            }
            else
            {
                result.ShouldFail("zip.hashMismatch");
                Directory.Exists(destination).Should().BeFalse();
            }
        }

        await stop.CancelAsync();
        await swapper;
        completed.Should().BePositive("some runs copy the vendor's archive");
    }

    [Fact]
    public async Task In_a_rehearsal_the_destination_is_confined_to_the_sandbox()
    {
        new ZipBuilder().File("setup.exe", "MZ").WriteTo(Archive);
        var sandbox = _temp.Combine("sandbox");

        var output = (await new ZipExtractActivity(Options.Create(new ZipExtractOptions()))
            .RunAsync(new ZipExtractInput { Archive = Archive, Destination = "/etc/mdiflow-rehearsal-escape" }, rehearsal: new ActivityHarness.Sandbox(sandbox))).ShouldComplete<ZipExtractOutput>();

        output.Directory.Should().StartWith(Path.Join(sandbox, "rooted"));
        Directory.Exists("/etc/mdiflow-rehearsal-escape").Should().BeFalse();
        File.Exists(Path.Join(output.Directory, "setup.exe")).Should().BeTrue();
    }

    [Fact]
    public async Task Refuses_a_destination_that_holds_other_content_and_leaves_it_alone()
    {
        new ZipBuilder().File("a.txt", "a").WriteTo(Archive);
        Directory.CreateDirectory(Destination);
        await File.WriteAllTextAsync(Path.Join(Destination, "mine.txt"), "keep me");

        var error = (await RunAsync()).ShouldFail("zip.destinationExists");

        error.Message.Should().Be($"The destination '{Destination}' of step 'step' already exists and holds other content; extracting over it could mix foreign files with the package. Nothing was changed.");
        _temp.Tree().Should().Equal("in", "in/package.zip", "out", "out/package", "out/package/mine.txt");
    }

    [Fact]
    public async Task Refuses_a_destination_that_is_a_file()
    {
        new ZipBuilder().File("a.txt", "a").WriteTo(Archive);
        Directory.CreateDirectory(_temp.Combine("out"));
        await File.WriteAllTextAsync(Destination, "a file");

        (await RunAsync()).ShouldFail("zip.destinationExists").Message.Should().Contain("already exists and is a file");
    }

    [Fact]
    public async Task Fills_an_existing_empty_destination()
    {
        new ZipBuilder().File("a.txt", "a").WriteTo(Archive);
        Directory.CreateDirectory(Destination);

        (await RunAsync()).ShouldComplete<ZipExtractOutput>().Files.Should().Be(1);

        File.Exists(Path.Join(Destination, "a.txt")).Should().BeTrue();
    }

    [Fact]
    public async Task Removes_partial_folders_left_by_a_crashed_attempt_and_nothing_else()
    {
        new ZipBuilder().File("a.txt", "a").WriteTo(Archive);
        Directory.CreateDirectory(_temp.Combine("out/.package.partial-0123456789ab/lib"));
        await File.WriteAllTextAsync(_temp.Combine("out/.package.partial-0123456789ab/lib/half.dll"), "half");
        Directory.CreateDirectory(_temp.Combine("out/.other.partial-0123456789ab"));
        Directory.CreateDirectory(_temp.Combine("out/package-old"));

        (await RunAsync()).ShouldComplete<ZipExtractOutput>();

        _temp.Tree().Should().Equal(
            "in", "in/package.zip", "out", "out/.other.partial-0123456789ab",
            "out/package", "out/package-old", "out/package/a.txt");
    }

    [Fact]
    public async Task Cancellation_propagates_and_leaves_nothing_behind()
    {
        new ZipBuilder().File("a.txt", "a").WriteTo(Archive);

        var act = async () => await RunAsync(cancellationToken: new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        _temp.Tree().Should().Equal("in", "in/package.zip");
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Keeps_permission_bits_but_never_set_user_id_or_write_for_others()
    {
        new ZipBuilder()
            .File("install.sh", Encoding.UTF8.GetBytes("#!/bin/sh\n"), unixMode: 0x81ED) // 0100755
            .File("suid", Encoding.UTF8.GetBytes("x"), unixMode: 0x8DFF) // 0106777
            .WriteTo(Archive);

        (await RunAsync()).ShouldComplete<ZipExtractOutput>();

        var rwxr_xr_x = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.GetUnixFileMode(Path.Join(Destination, "install.sh")).Should().Be(rwxr_xr_x);
        File.GetUnixFileMode(Path.Join(Destination, "suid")).Should().Be(rwxr_xr_x);
    }

    private ValueTask<MdiFlow.Activities.ActivityResult> RunAsync(string? sha256 = null, ZipExtractOptions? options = null, CancellationToken cancellationToken = default, bool isRecovery = false) =>
        new ZipExtractActivity(Options.Create(options ?? new ZipExtractOptions()))
            .RunAsync(new ZipExtractInput { Archive = Archive, Destination = Destination, Sha256 = sha256 }, cancellationToken: cancellationToken, isRecovery: isRecovery);

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
