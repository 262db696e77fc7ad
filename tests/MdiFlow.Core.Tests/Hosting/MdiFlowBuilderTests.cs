using MdiFlow.Activities;
using MdiFlow.Core.Tests.Support;
using MdiFlow.Engine;
using MdiFlow.Hosting;
using MdiFlow.Instances;
using MdiFlow.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Core.Tests.Hosting;

/// <summary>What an embedder gets from AddMdiFlow when the services its activities need are missing.</summary>
public sealed class MdiFlowBuilderTests
{
    private static readonly Actor Alice = new("alice", ActorSources.OperatingSystem);

    [Fact]
    public void Building_the_provider_with_validation_names_every_activity_and_every_missing_service_at_once()
    {
        var services = new ServiceCollection();
        services.AddMdiFlow().AddActivity<EchoActivity>().AddActivity<BlockingActivity>();

        var build = () => services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var thrown = build.Should().Throw<AggregateException>().Which;
        thrown.InnerExceptions.Select(e => e.Message).Should().Contain(m => m.Contains(nameof(EchoActivity), StringComparison.Ordinal) && m.Contains(nameof(SideEffects), StringComparison.Ordinal))
            .And.Contain(m => m.Contains(nameof(BlockingActivity), StringComparison.Ordinal) && m.Contains(nameof(Signals), StringComparison.Ordinal));
    }

    [Fact]
    public void Without_build_validation_resolving_the_engine_names_every_missing_service_at_once()
    {
        var services = new ServiceCollection();
        services.AddMdiFlow().AddActivity<EchoActivity>().AddActivity<BlockingActivity>();
        using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<WorkflowEngine>();

        var thrown = resolve.Should().Throw<MdiFlowConfigurationException>().Which;
        thrown.Problems.Should().Equal(
            $"'test.block' ({typeof(BlockingActivity).FullName}) needs {typeof(Signals).FullName}, which is not registered.",
            $"'test.echo' ({typeof(EchoActivity).FullName}) needs {typeof(SideEffects).FullName}, which is not registered.");
        thrown.Message.Should().StartWith("2 installed activities cannot be created from the registered services:");
    }

    [Fact]
    public async Task An_activity_that_still_cannot_be_constructed_fails_its_step_cleanly_and_the_instance_is_not_left_running()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddSingleton<SideEffects>(_ => throw new InvalidOperationException("the ledger database is offline"));
        services.AddSingleton<Signals>(_ => throw new ArgumentException("no clock configured"));
        services.AddMdiFlow().AddActivity<EchoActivity>().AddActivity<BlockingActivity>();
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<WorkflowEngine>();
        var definition = provider.GetRequiredService<MdiFlow.Definitions.WorkflowValidator>().Parse("""
            { "id": "w", "steps": [ { "id": "post", "uses": "test.echo", "with": { "message": "m" } } ] }
            """).Definition!;
        var other = provider.GetRequiredService<MdiFlow.Definitions.WorkflowValidator>().Parse("""
            { "id": "v", "steps": [ { "id": "post", "uses": "test.block" } ] }
            """).Definition!;

        var first = await engine.RunAsync((await engine.StartAsync(definition, new StartRequest { Actor = Alice })).Id, new RunRequest { Actor = Alice });
        var second = await engine.RunAsync((await engine.StartAsync(other, new StartRequest { Actor = Alice })).Id, new RunRequest { Actor = Alice });

        foreach (var result in new[] { first, second })
        {
            result.Status.Should().Be(InstanceStatus.Failed);
            result.Instance.Lease.Should().BeNull();
            result.Instance.Steps[0].Error!.Code.Should().Be("activity.unresolvable");
        }

        first.Instance.Steps[0].Error!.Message.Should().Contain("the ledger database is offline");
        second.Instance.Steps[0].Error!.Message.Should().Contain("no clock configured");
    }
}
