using MdiFlow.Processes;

namespace MdiFlow.Core.Tests.Processes;

public sealed class OutputTailTests
{
    [Fact]
    public void Keeps_everything_below_the_capacity()
    {
        var tail = new OutputTail(10);
        tail.Append("abc");
        tail.Append("def");

        tail.ToString().Should().Be("abcdef");
    }

    [Fact]
    public void Keeps_only_the_last_characters_past_the_capacity()
    {
        var tail = new OutputTail(4);
        foreach (var piece in new[] { "abc", "defgh", "ij", "klmnopqrstu" })
        {
            tail.Append(piece);
        }

        tail.ToString().Should().Be("rstu");
    }

    [Fact]
    public void Never_starts_with_half_a_surrogate_pair()
    {
        var tail = new OutputTail(3);
        tail.Append("x😀yz");

        tail.ToString().Should().Be("yz");
    }
}
