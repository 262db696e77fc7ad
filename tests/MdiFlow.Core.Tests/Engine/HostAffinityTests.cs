using MdiFlow.Core.Tests.Support;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Core.Tests.Engine;

/// <summary>A step that must run on its target server runs only on that host's engine; the others run anywhere.</summary>
public sealed class HostAffinityTests : IAsyncDisposable
{
    private readonly EngineFixture _f = new();

    private const string Workflow = """
        { "id": "w", "steps": [
          { "id": "graph", "uses": "test.echo", "with": { "message": "anywhere" } },
          { "id": "install", "uses": "test.onTarget", "with": { "message": "on DC01" } },
          { "id": "report", "uses": "test.echo", "with": { "message": "anywhere again" } } ] }
        """;

    private WorkflowEngine EngineOn(string host) => new(
        _f.Store, _f.Catalog, _f.Validator, _f.Services, _f.Time,
        Microsoft.Extensions.Options.Options.Create(new EngineOptions { HostName = host }),
        _f.Services.GetRequiredService<MdiFlow.Policy.OrganisationPolicy>(), _f.Keys);

    private Task<WorkflowInstance> StartForAsync(string target) =>
        EngineOn("ADMIN01").StartAsync(_f.Parse(Workflow), new StartRequest { Actor = EngineFixture.Alice, Labels = new Dictionary<string, string> { [InstanceLabels.Host] = target } });

    [Fact]
    public async Task Only_the_steps_whose_activity_runs_on_the_target_get_its_host()
    {
        var instance = await StartForAsync("DC01");

        instance.Steps.Select(s => s.Host).Should().Equal(null, "DC01", null);
        var started = await EngineOn("DC01").StartAsync(_f.Parse(Workflow), new StartRequest { Actor = EngineFixture.Alice });
        started.Steps[1].Host.Should().Be("DC01", "without a label the target is the host that starts it");
        started.Labels[InstanceLabels.Host].Should().Be("DC01");
    }

    [Fact]
    public async Task Another_host_runs_the_free_steps_then_hands_the_instance_to_the_target_hosts_worker()
    {
        var instance = await StartForAsync("DC01");

        var elsewhere = await EngineOn("DC02").RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });

        elsewhere.Status.Should().Be(InstanceStatus.Ready);
        elsewhere.Instance.Steps.Select(s => s.Status).Should().Equal(StepStatus.Completed, StepStatus.Pending, StepStatus.Pending);
        elsewhere.Instance.Lease.Should().BeNull();
        _f.Effects.CountOf("install").Should().Be(0, "DC02 never runs DC01's step");
        var journal = await _f.Store.ReadJournalAsync(instance.Id);
        journal[^1].Kind.Should().Be(JournalKinds.InstanceHandedOver);
        journal[^1].Data.Should().Be("""{"host":"DC01","from":"DC02"}""");
        var now = _f.Time.GetUtcNow();
        (await _f.Store.FindRunnableAsync(now, "DC02", 10)).Should().BeEmpty("only DC01's worker is offered it");
        (await _f.Store.FindRunnableAsync(now, "dc01", 10)).Select(r => r.Id).Should().Equal([instance.Id], "host names compare without case");

        var onTarget = await EngineOn("dc01").RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });

        onTarget.Status.Should().Be(InstanceStatus.Completed);
        _f.Effects.CountOf("install").Should().Be(1);
        _f.Effects.CountOf("graph").Should().Be(1);
    }

    [Fact]
    public async Task An_instance_whose_next_step_is_free_is_offered_to_every_host()
    {
        var instance = await StartForAsync("DC01");
        var now = _f.Time.GetUtcNow();

        (await _f.Store.FindRunnableAsync(now, "DC02", 10)).Select(r => r.Id).Should().Equal(instance.Id);
        RunnableIndex.RequiredHost(instance).Should().BeNull();
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();
}
