using MdiFlow.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests;

public sealed class DefenderForIdentityOptionsTests
{
    [Fact]
    public void Mistaken_options_are_refused_at_start_with_every_mistake_at_once()
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow.AddDefenderForIdentity(o =>
        {
            o.SensorApiUrlTemplate = "https://sensorapi.atp.azure.com/ping";
            o.GraphBaseAddress = new Uri("http://graph.contoso.com/");
            o.InstallerLogDirectory = " ";
        }));
        using var provider = services.BuildServiceProvider();

        var start = () => provider.GetRequiredService<IStartupValidator>().Validate();

        var failures = start.Should().Throw<OptionsValidationException>().Which.Failures;
        failures.Should().Equal(
            "DefenderForIdentityOptions.GraphBaseAddress is 'http://graph.contoso.com/'; it must be an absolute https address (the default is https://graph.microsoft.com/).",
            "DefenderForIdentityOptions.SensorApiUrlTemplate must contain {workspace}, where the workspace name goes.",
            "DefenderForIdentityOptions.InstallerLogDirectory is empty; give the folder the setup writes its logs to.");
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow.AddDefenderForIdentity());
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Invoking(v => v.Validate()).Should().NotThrow();
    }
}
