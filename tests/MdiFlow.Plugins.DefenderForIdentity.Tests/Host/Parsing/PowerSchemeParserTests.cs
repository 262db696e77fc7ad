using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Host.Parsing;

public sealed class PowerSchemeParserTests
{
    [Fact]
    public void Reads_the_high_performance_plan()
    {
        var scheme = PowerSchemeParser.Parse(Fixture.Text("powercfg.high-performance.txt"));

        scheme.Should().Be(new PowerScheme(PowerSchemeParser.HighPerformance, "High performance"));
    }

    [Theory]
    [InlineData("powercfg.balanced.txt", "Balanced")]
    [InlineData("powercfg.balanced.de-DE.txt", "Ausbalanciert")]
    public void Reads_the_plan_whatever_the_language_of_the_label(string fixture, string name)
    {
        var scheme = PowerSchemeParser.Parse(Fixture.Text(fixture));

        scheme.Id.Should().Be(new Guid("381b4222-f694-41f0-9685-ff5bb260df2e"));
        scheme.Name.Should().Be(name);
    }

    [Fact]
    public void Output_without_a_guid_is_a_format_error()
    {
        var parse = () => PowerSchemeParser.Parse("Access denied.");

        parse.Should().Throw<FormatException>();
    }
}
