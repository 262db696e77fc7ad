using System.Security.Cryptography;
using MdiFlow.Plugins.Standard.Files;
using MdiFlow.Plugins.Standard.Tests.Support;
using MdiFlow.Testing;

namespace MdiFlow.Plugins.Standard.Tests.Files;

public sealed class FileHashActivityTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FileHashActivity _activity = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Hashes_a_file_as_lowercase_hex_with_its_size()
    {
        await File.WriteAllTextAsync(_temp.Combine("abc.txt"), "abc");

        var output = (await _activity.RunAsync(new FileHashInput { Path = _temp.Combine("abc.txt") })).ShouldComplete<FileHashOutput>();

        output.Sha256.Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        output.Size.Should().Be(3);
    }

    [Fact]
    public async Task Hashes_an_empty_file()
    {
        await File.WriteAllBytesAsync(_temp.Combine("empty"), []);

        var output = (await _activity.RunAsync(new FileHashInput { Path = _temp.Combine("empty") })).ShouldComplete<FileHashOutput>();

        output.Sha256.Should().Be("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        output.Size.Should().Be(0);
    }

    [Fact]
    public async Task Hashes_a_large_file_the_same_as_SHA256_HashData()
    {
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        await File.WriteAllBytesAsync(_temp.Combine("big.bin"), content);

        var output = (await _activity.RunAsync(new FileHashInput { Path = _temp.Combine("big.bin") })).ShouldComplete<FileHashOutput>();

        output.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(content)));
        output.Size.Should().Be(content.Length);
    }

    [Fact]
    public async Task A_missing_file_fails_with_file_notFound_naming_the_path()
    {
        var error = (await _activity.RunAsync(new FileHashInput { Path = _temp.Combine("missing.zip") })).ShouldFail("file.notFound");

        error.Message.Should().Be($"The path '{_temp.Combine("missing.zip")}' given to step 'step' does not exist.");
        error.Permanent.Should().BeFalse(); // the file may be copied there before the next attempt
        error.Fix.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_folder_fails_with_file_notFound_saying_it_is_a_folder()
    {
        var error = (await _activity.RunAsync(new FileHashInput { Path = _temp.Path })).ShouldFail("file.notFound");

        error.Message.Should().Contain("is a folder, not a file");
    }

    [Fact]
    public async Task Cancellation_stops_hashing()
    {
        await File.WriteAllTextAsync(_temp.Combine("abc.txt"), "abc");

        var act = async () => await _activity.RunAsync(new FileHashInput { Path = _temp.Combine("abc.txt") }, cancellationToken: new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
    }
}
