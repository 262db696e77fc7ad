using System.Globalization;
using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Host.Parsing;

public sealed class DotNetFrameworkReleaseTests
{
    public static TheoryData<int, string> DocumentedReleases()
    {
        var data = new TheoryData<int, string>();
        foreach (var line in Fixture.Text("dotnet-framework-releases.txt").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            var parts = line.Split(' ');
            data.Add(int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentedReleases))]
    public void Every_documented_release_value_maps_to_its_version(int release, string version)
    {
        DotNetFrameworkRelease.VersionOf(release).Should().Be(version);
    }

    [Theory]
    [InlineData(394802, false)]
    [InlineData(460798, true)]
    [InlineData(528449, true)]
    public void The_sensor_needs_4_7_or_later(int release, bool enough)
    {
        DotNetFrameworkRelease.MeetsSensorMinimum(release).Should().Be(enough);
    }
}
