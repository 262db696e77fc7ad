using Azure.Core;
using MdiFlow.Activities;
using MdiFlow.Hosting;
using MdiFlow.Plugins.DefenderForIdentity.Graph;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Graph;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests;

public sealed class DefenderForIdentityActivitiesTests
{
    [Fact]
    public void Installs_the_mdi_activities_by_their_documented_names()
    {
        using var services = PluginServices.Build();

        var catalog = services.GetRequiredService<ActivityCatalog>();

        catalog.All.Select(d => d.Name).Where(n => n.StartsWith("mdi.", StringComparison.Ordinal)).Should().Equal(
            "mdi.activateSensorV3",
            "mdi.applyAuditing",
            "mdi.checkAdminRole",
            "mdi.checkAuditing",
            "mdi.checkLicense",
            "mdi.checkNicTeaming",
            "mdi.checkPendingRestart",
            "mdi.checkSensorHealth",
            "mdi.checkServiceAccount",
            "mdi.detectServerRole",
            "mdi.downloadPackage",
            "mdi.getAccessKey",
            "mdi.installSensor",
            "mdi.probeSensorApi",
            "mdi.verifySensor");
    }

    [Fact]
    public void Every_mdi_activity_declares_an_output_type_with_fields_so_bindings_to_its_output_are_validated()
    {
        using var services = PluginServices.Build();

        var mdi = services.GetRequiredService<ActivityCatalog>().All.Where(d => d.Name.StartsWith("mdi.", StringComparison.Ordinal)).ToList();

        mdi.Should().HaveCount(15);
        mdi.Where(d => d.OutputType is null || d.OutputSchema?["properties"] is not System.Text.Json.Nodes.JsonObject { Count: > 0 })
            .Select(d => d.Name).Should().BeEmpty("an activity's output fields are what 'steps.ID.output.FIELD' is checked against");
    }

    [Fact]
    public void Host_activities_run_on_the_target_and_the_installer_checks_before_a_rerun()
    {
        using var services = PluginServices.Build();
        var catalog = services.GetRequiredService<ActivityCatalog>();

        catalog.All.Where(d => d.Name.StartsWith("mdi.", StringComparison.Ordinal) && d.RunsOnTarget).Select(d => d.Name).Should().BeEquivalentTo(
            "mdi.probeSensorApi", "mdi.checkServiceAccount", "mdi.checkNicTeaming", "mdi.detectServerRole", "mdi.getAccessKey", "mdi.installSensor", "mdi.verifySensor",
            "mdi.checkAuditing", "mdi.applyAuditing", "mdi.checkPendingRestart", "mdi.downloadPackage");
        catalog.Find("mdi.installSensor")!.Recovery.Should().Be(RecoveryMode.CheckFirst);
        catalog.Find("mdi.installSensor")!.RequiredInputs.Should().BeEquivalentTo("packageDirectory", "accessKey");
        catalog.Find("mdi.checkLicense")!.Recovery.Should().Be(RecoveryMode.Idempotent);
    }

    [Fact]
    public void Every_mdi_activity_declares_what_it_does_in_a_rehearsal()
    {
        using var services = PluginServices.Build();
        var catalog = services.GetRequiredService<ActivityCatalog>();

        catalog.All.Where(d => d.Name.StartsWith("mdi.", StringComparison.Ordinal)).Should().OnlyContain(d => d.Rehearsal == RehearsalMode.Double);
    }

    [Fact]
    public void Every_mdi_activity_can_be_resolved()
    {
        using var services = PluginServices.Build();
        var catalog = services.GetRequiredService<ActivityCatalog>();

        foreach (var descriptor in catalog.All)
        {
            services.GetRequiredService(descriptor.Implementation).Should().BeAssignableTo<IActivity>();
        }
    }

    [Fact]
    public void Seams_registered_before_the_plugin_are_kept_for_a_lab()
    {
        var host = new FakeHostFacts();
        var launcher = new FakeSetupLauncher();
        var credential = new FakeTokenCredential();

        using var services = PluginServices.Build(credential: credential, host: host, launcher: launcher);

        services.GetRequiredService<IHostFacts>().Should().BeSameAs(host);
        services.GetRequiredService<ISetupLauncher>().Should().BeSameAs(launcher);
        services.GetRequiredService<TokenCredential>().Should().BeSameAs(credential);
    }

    [Fact]
    public void Seams_can_be_replaced_after_the_plugin_and_off_windows_the_host_is_unsupported()
    {
        var collection = new ServiceCollection();
        collection.AddMdiFlow(flow => flow.AddDefenderForIdentity());
        var defaultHost = collection.Single(d => d.ServiceType == typeof(IHostFacts));
        var host = new FakeHostFacts();
        collection.Replace(ServiceDescriptor.Singleton<IHostFacts>(host));
        using var services = collection.BuildServiceProvider();

        services.GetRequiredService<IHostFacts>().Should().BeSameAs(host);
        services.GetRequiredService<TokenCredential>().Should().BeOfType<ConfiguredGraphCredential>();
        services.GetRequiredService<ISetupLauncher>().Should().BeOfType<ProcessSetupLauncher>();
        if (!OperatingSystem.IsWindows())
        {
            using var plain = new ServiceCollection().Add(defaultHost).AddSingleton(TimeProvider.System).BuildServiceProvider();
            plain.GetRequiredService<IHostFacts>().Should().BeOfType<UnsupportedHostFacts>();
        }
    }

    [Fact]
    public async Task Options_configured_by_a_lab_after_the_plugin_point_graph_at_its_server()
    {
        await using var graph = new GraphServer().On("/v1.0/me", Answer.Json(GraphJson.Me));
        var collection = new ServiceCollection();
        collection.AddSingleton<TokenCredential>(new FakeTokenCredential());
        collection.AddMdiFlow(flow => flow.AddDefenderForIdentity());
        collection.Configure<DefenderForIdentityOptions>(o => o.GraphBaseAddress = graph.BaseAddress);
        await using var services = collection.BuildServiceProvider();

        var me = await services.GetRequiredService<GraphClient>().MeAsync(CancellationToken.None);

        me.TryGetValue(out _, out _).Should().BeTrue();
        graph.Requests.Should().ContainSingle();
    }

    [Fact]
    public void Adding_the_plugin_twice_installs_it_once_and_keeps_both_configurations()
    {
        var collection = new ServiceCollection();
        collection.AddMdiFlow(flow => flow
            .AddDefenderForIdentity(o => o.InstallerLogDirectory = "/var/log/first")
            .AddDefenderForIdentity(o => o.KeyVaultDirectory = "/var/keys"));
        using var services = collection.BuildServiceProvider();

        services.GetRequiredService<ActivityCatalog>().All.Should().Contain(d => d.Name == "mdi.installSensor");
        collection.Count(d => d.ServiceType == typeof(GraphClient)).Should().Be(1);
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DefenderForIdentityOptions>>().Value;
        options.InstallerLogDirectory.Should().Be("/var/log/first");
        options.KeyVaultDirectory.Should().Be("/var/keys");
    }

    [Fact]
    public void The_windows_scripts_are_embedded()
    {
        global::MdiFlow.Plugins.DefenderForIdentity.Host.Windows.PowerShellScripts.EmbeddedNames.Should().Equal("ApplyAuditingScript.ps1", "AuditingScript.ps1", "CaptureScript.ps1", "ServiceAccountScript.ps1", "VirtualizationScript.ps1");
        global::MdiFlow.Plugins.DefenderForIdentity.Host.Windows.PowerShellScripts.Embedded("ServiceAccountScript.ps1").Should().Contain("Test-ADServiceAccount").And.Contain("$env:MDIFLOW_DSA");
    }
}
