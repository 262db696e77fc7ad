using System.Diagnostics;
using MdiFlow.Serialization;
using MdiFlow.Testing;

namespace MdiFlow.Core.Tests.Serialization;

public sealed class TextFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_device_is_refused_without_being_read()
    {
        TextFile.TryRead("/dev/zero", out _, out var problem).Should().BeFalse();

        problem.Should().Be("'/dev/zero' is not a regular file (a FIFO, a device or a socket), so it is not read");
    }

    [Fact]
    public async Task A_fifo_is_refused_at_once_rather_than_waited_on()
    {
        var fifo = _dir.Combine("pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo])!)
        {
            await mkfifo.WaitForExitAsync();
        }

        var read = Task.Run(() => (TextFile.TryRead(fifo, out _, out var problem), problem));

        var (ok, problem) = await read.WaitAsync(TimeSpan.FromSeconds(10));
        ok.Should().BeFalse();
        problem.Should().Contain("is not a regular file");
    }

    [Fact]
    public void Invalid_utf8_is_reported_with_its_byte_offset()
    {
        var path = _dir.Combine("w.json");
        File.WriteAllBytes(path, [(byte)'{', (byte)' ', 0xC3, 0x28, (byte)'}']);

        TextFile.TryRead(path, out _, out var problem).Should().BeFalse();

        problem.Should().Be($"'{path}' is not valid UTF-8: the byte at offset 2 (0xC3) does not start a character. Save it as UTF-8");
    }

    [Fact]
    public void A_file_larger_than_the_cap_is_refused_and_a_folder_is_named_as_one()
    {
        var path = _dir.Combine("big.json");
        File.WriteAllBytes(path, new byte[101]);

        TextFile.TryRead(path, out _, out var big, limit: 100).Should().BeFalse();
        TextFile.TryRead(_dir.Path, out _, out var folder).Should().BeFalse();

        big.Should().Contain("is 101 bytes, more than the 100 bytes");
        folder.Should().Contain("is a folder, not a file");
    }

    [Fact]
    public void A_byte_order_mark_is_skipped()
    {
        var path = _dir.Combine("bom.json");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}']);

        TextFile.TryRead(path, out var text, out _).Should().BeTrue();

        text.Should().Be("{}");
    }

    public void Dispose() => _dir.Dispose();
}
