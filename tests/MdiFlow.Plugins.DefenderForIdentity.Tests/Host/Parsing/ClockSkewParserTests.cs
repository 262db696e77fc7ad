using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Host.Parsing;

public sealed class ClockSkewParserTests
{
    [Fact]
    public void The_last_sample_gives_the_offset_as_an_absolute_value()
    {
        ClockSkewParser.Parse(Fixture.Text("w32tm-stripchart.in-sync.txt")).Should().Be(TimeSpan.FromSeconds(0.0001129));
    }

    [Fact]
    public void A_clock_minutes_behind_gives_those_minutes()
    {
        ClockSkewParser.Parse(Fixture.Text("w32tm-stripchart.skewed.txt")).Should().Be(TimeSpan.FromSeconds(412.3829104));
    }

    [Fact]
    public void The_chart_form_reads_the_offset_not_the_delay()
    {
        ClockSkewParser.Parse(Fixture.Text("w32tm-stripchart.chart.txt")).Should().Be(TimeSpan.FromSeconds(1.2046387));
    }

    [Fact]
    public void A_decimal_comma_is_read_too()
    {
        ClockSkewParser.Parse(Fixture.Text("w32tm-stripchart.de-DE.txt")).Should().Be(TimeSpan.FromSeconds(0.0012345));
    }

    [Fact]
    public void A_failed_sample_gives_no_offset()
    {
        ClockSkewParser.Parse(Fixture.Text("w32tm-stripchart.error.txt")).Should().BeNull();
    }

    [Fact]
    public void Output_without_samples_is_a_format_error()
    {
        var parse = () => ClockSkewParser.Parse("The following error occurred: The RPC server is unavailable. (0x800706BA)");

        parse.Should().Throw<FormatException>();
    }
}
