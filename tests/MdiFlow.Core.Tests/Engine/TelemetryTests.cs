using System.Diagnostics;
using MdiFlow.Core.Tests.Support;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Hosting;
using MdiFlow.Instances;
using MdiFlow.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MdiFlow.Core.Tests.Engine;

/// <summary>The MdiFlow spans and instruments, read as an OpenTelemetry host reads them (alone: the meter is process-wide).</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton(new SideEffects());
        builder.Services.AddSingleton(new Signals());
        builder.Services.AddMdiFlow(flow => flow.UseInMemoryStore().Configure(o => o.InProcessRetryLimit = TimeSpan.Zero)).AddActivitiesFrom<EngineFixture>();
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(MdiFlowTelemetry.Name).AddInMemoryExporter(_spans))
            .WithMetrics(metrics => metrics.AddMeter(MdiFlowTelemetry.Name).AddInMemoryExporter(_metrics));
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Runs_steps_retries_and_gates_are_seen_as_spans_and_counters()
    {
        var engine = _host.Services.GetRequiredService<WorkflowEngine>();
        var definition = _host.Services.GetRequiredService<MdiFlow.Definitions.WorkflowValidator>().Parse("""
            { "id": "observed", "steps": [
              { "id": "flaky", "uses": "test.flaky", "with": { "failures": 1 }, "retry": { "maxAttempts": 2, "initialDelay": "PT2S" } },
              { "id": "board", "uses": "approval", "with": { "approvers": ["user:bob"] } } ] }
            """).Definition!;
        var alice = EngineFixture.Alice;
        var instance = await engine.StartAsync(definition, new StartRequest { Actor = alice });

        (await engine.RunAsync(instance.Id, new RunRequest { Actor = alice })).Status.Should().Be(InstanceStatus.Scheduled);
        _time.Advance(TimeSpan.FromSeconds(3));
        (await engine.RunAsync(instance.Id, new RunRequest { Actor = alice })).Status.Should().Be(InstanceStatus.Waiting);
        await engine.ActAsync(instance.Id, new GateActionRequest { Action = GateAction.Approve, Actor = new Actor("bob", ActorSources.OperatingSystem) });
        (await engine.RunAsync(instance.Id, new RunRequest { Actor = alice })).Status.Should().Be(InstanceStatus.Completed);
        _host.Services.GetRequiredService<MeterProvider>().ForceFlush().Should().BeTrue();
        _host.Services.GetRequiredService<TracerProvider>().ForceFlush().Should().BeTrue();

        var mine = _spans.Where(s => Equals(s.GetTagItem("mdiflow.instance"), instance.Id.Value)).ToList();
        mine.Select(s => s.DisplayName).Should().Equal("step flaky", "run observed", "step flaky", "step board", "run observed", "run observed");
        mine.Where(s => s.DisplayName == "run observed").Select(s => s.GetTagItem("mdiflow.status")).Should().Equal("scheduled", "waiting", "completed");
        mine.Where(s => s.DisplayName.StartsWith("step", StringComparison.Ordinal)).Should().OnlyContain(s => s.Parent != null && s.Parent.DisplayName == "run observed");
        mine.First().Status.Should().Be(ActivityStatusCode.Error, "the first attempt failed");

        Sum("mdiflow.runs", ("mdiflow.status", "scheduled")).Should().Be(1);
        Sum("mdiflow.runs", ("mdiflow.status", "waiting")).Should().Be(1);
        Sum("mdiflow.runs", ("mdiflow.status", "completed")).Should().Be(1);
        Sum("mdiflow.retries").Should().Be(1);
        Sum("mdiflow.steps.failed").Should().Be(1);
        Sum("mdiflow.steps.completed").Should().Be(1);
        Sum("mdiflow.instances.finished").Should().Be(1);
        Sum("mdiflow.gate.decisions", ("mdiflow.decision", "approve")).Should().Be(1);
        Sum("mdiflow.gates.waiting").Should().Be(0, "the gate opened and was decided");
        HistogramCount("mdiflow.step.duration", ("mdiflow.activity", "test.flaky")).Should().Be(2);
        HistogramCount("mdiflow.step.duration", ("mdiflow.activity", "approval")).Should().Be(1);
        HistogramCount("mdiflow.run.duration").Should().Be(3);
    }

    private long Sum(string name, (string Key, string Value)? tag = null) =>
        Points(name, tag).Sum(p => p.GetSumLong());

    private long HistogramCount(string name, (string Key, string Value)? tag = null) =>
        Points(name, tag).Sum(p => p.GetHistogramCount());

    private List<MetricPoint> Points(string name, (string Key, string Value)? tag)
    {
        var points = new List<MetricPoint>();
        foreach (var metric in _metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var matches = tag is not { } wanted;
                foreach (var t in point.Tags)
                {
                    matches |= tag is { } w && t.Key == w.Key && Equals(t.Value, w.Value);
                }

                if (matches)
                {
                    points.Add(point);
                }
            }
        }

        _metrics.Should().Contain(m => m.Name == name, $"the meter publishes {name}");
        return points;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry (process-wide meter)";
}
