using MdiFlow.Activities;
using MdiFlow.Hosting;
using MdiFlow.Plugins.Standard.Tests.Support;
using MdiFlow.Testing;
using MdiFlow.Plugins.Standard.Tests.Zip;
using MdiFlow.Plugins.Standard.Zip;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Plugins.Standard.Tests;

public sealed class StandardActivitiesTests
{
    [Fact]
    public void Installs_the_five_standard_activities_with_their_recovery_modes()
    {
        using var services = Build();

        var standard = services.GetRequiredService<ActivityCatalog>().All
            .Where(d => d.Implementation.Assembly == typeof(StandardActivities).Assembly)
            .ToList();

        standard.Select(d => (d.Name, d.Recovery)).Should().Equal(
            ("delay", RecoveryMode.Idempotent),
            ("file.hash", RecoveryMode.Idempotent),
            ("http.probe", RecoveryMode.Idempotent),
            ("process.run", RecoveryMode.CheckFirst),
            ("zip.extract", RecoveryMode.Idempotent));
        standard.Should().OnlyContain(d => d.Description.Length > 0 && d.Implementation.IsNotPublic && d.Implementation.IsSealed);
    }

    [Theory]
    [InlineData("process.run", new[] { "file", "arguments", "environment", "stdin", "workingDirectory", "timeout", "successExitCodes", "retryableExitCodes", "elevated" }, new[] { "file" })]
    [InlineData("zip.extract", new[] { "archive", "destination", "sha256" }, new[] { "archive", "destination" })]
    [InlineData("http.probe", new[] { "url", "proxyUrl", "timeout", "expectStatus" }, new[] { "url" })]
    [InlineData("file.hash", new[] { "path" }, new[] { "path" })]
    [InlineData("delay", new[] { "duration" }, new[] { "duration" })]
    public void Accepts_the_inputs_the_CLI_documentation_names(string name, string[] inputs, string[] required)
    {
        using var services = Build();

        var descriptor = services.GetRequiredService<ActivityCatalog>().Find(name)!;

        descriptor.Inputs.Should().BeEquivalentTo(inputs);
        descriptor.RequiredInputs.Should().BeEquivalentTo(required);
    }

    [Theory]
    [InlineData("process.run", new[] { "exitCode", "stdoutTail", "stderrTail" })]
    [InlineData("zip.extract", new[] { "directory", "files" })]
    [InlineData("http.probe", new[] { "status", "latencyMs" })]
    [InlineData("file.hash", new[] { "sha256", "size" })]
    public void Produces_the_outputs_the_CLI_documentation_names(string name, string[] outputs)
    {
        using var services = Build();

        var schema = services.GetRequiredService<ActivityCatalog>().Find(name)!.OutputSchema!;

        schema["properties"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(outputs);
    }

    [Fact]
    public void Every_standard_activity_declares_its_output_type()
    {
        using var services = Build();

        services.GetRequiredService<ActivityCatalog>().All.Where(d => d.Implementation.Assembly == typeof(StandardActivities).Assembly)
            .Where(d => d.OutputType is null).Select(d => d.Name).Should().BeEmpty("bindings to an output are validated against its type");
    }

    [Fact]
    public void Delay_has_no_output()
    {
        using var services = Build();

        services.GetRequiredService<ActivityCatalog>().Find("delay")!.OutputSchema.Should().BeNull();
    }

    [Fact]
    public async Task Zip_extract_uses_the_configured_limits()
    {
        using var temp = new TempDirectory();
        var archive = new ZipBuilder().File("a", "a").File("b", "b").WriteTo(temp.Combine("package.zip"));
        using var services = Build(s => s.Configure<ZipExtractOptions>(o => o.MaxEntries = 1));
        var descriptor = services.GetRequiredService<ActivityCatalog>().Find("zip.extract")!;
        var activity = (IActivity)services.GetRequiredService(descriptor.Implementation);

        var result = await activity.RunAsync(new ZipExtractInput { Archive = archive, Destination = temp.Combine("out") });

        result.ShouldFail("zip.tooManyEntries");
    }

    [Fact]
    public async Task Zip_extract_uses_the_default_limits_when_none_are_configured()
    {
        using var temp = new TempDirectory();
        var archive = new ZipBuilder().File("a", "a").File("b", "b").WriteTo(temp.Combine("package.zip"));
        using var services = Build();
        var activity = (IActivity)services.GetRequiredService(services.GetRequiredService<ActivityCatalog>().Find("zip.extract")!.Implementation);

        var output = (await activity.RunAsync(new ZipExtractInput { Archive = archive, Destination = temp.Combine("out") })).ShouldComplete<ZipExtractOutput>();

        output.Files.Should().Be(2);
    }

    private static ServiceProvider Build(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow.AddStandardActivities());
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
