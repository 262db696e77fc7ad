using MdiFlow.Hosting;
using MdiFlow.Plugins.Standard.Zip;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.Standard.Tests.Zip;

public sealed class ZipExtractOptionsTests
{
    [Fact]
    public void Mistaken_limits_are_refused_at_start_with_every_mistake_at_once()
    {
        var services = new ServiceCollection();
        services.AddMdiFlow().AddStandardActivities();
        services.Configure<ZipExtractOptions>(o =>
        {
            o.MaxTotalBytes = 0;
            o.MaxEntries = -1;
            o.MaxCompressionRatio = double.NaN;
        });
        using var provider = services.BuildServiceProvider();

        var start = () => provider.GetRequiredService<IStartupValidator>().Validate();

        start.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(
            "ZipExtractOptions.MaxTotalBytes is 0; it must be more than zero (the default is 2 GiB).",
            "ZipExtractOptions.MaxEntries is -1; it must be more than zero (the default is 10000).",
            "ZipExtractOptions.MaxCompressionRatio is NaN; it must be at least 1 (the default is 200).");
    }
}
