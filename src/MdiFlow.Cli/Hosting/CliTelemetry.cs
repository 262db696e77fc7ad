using System.Runtime.CompilerServices;
using MdiFlow.Engine;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MdiFlow.Cli.Hosting;

/// <summary>
/// OpenTelemetry export for every command, on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: the <c>MdiFlow</c> spans,
/// metrics and log events go to that OTLP endpoint (the standard <c>OTEL_*</c> variables choose the protocol and headers).
/// </summary>
internal static class CliTelemetry
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static bool Enabled => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable));

    public static void Add(IServiceCollection services)
    {
        if (Enabled)
        {
            AddExporters(services);
        }
    }

    /// <summary>Starts the exporters of a service provider that is not a host (a host starts them itself); disposing the provider flushes them.</summary>
    public static void Start(IServiceProvider provider)
    {
        if (Enabled)
        {
            StartExporters(provider);
        }
    }

    // Kept apart so that a command without telemetry never loads the OpenTelemetry assemblies (startup time counts for show and list).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddExporters(IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("mdiflow", serviceVersion: typeof(CliTelemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing.AddSource(MdiFlowTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(MdiFlowTelemetry.Name))
            .WithLogging()
            .UseOtlpExporter();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartExporters(IServiceProvider provider)
    {
        _ = provider.GetService<TracerProvider>();
        _ = provider.GetService<MeterProvider>();
        _ = provider.GetService<LoggerProvider>();
    }
}
