using MdiFlow.Plugins.Standard.Zip;

namespace MdiFlow.Plugins.Standard.Tests.Zip;

public sealed class Crc32Tests
{
    [Fact]
    public void Matches_the_standard_check_value() =>
        Crc32.Append(0, "123456789"u8).Should().Be(0xCBF43926);

    [Fact]
    public void Of_nothing_is_zero() =>
        Crc32.Append(0, []).Should().Be(0);

    [Fact]
    public void Can_be_computed_in_pieces() =>
        Crc32.Append(Crc32.Append(0, "1234"u8), "56789"u8).Should().Be(0xCBF43926);
}
