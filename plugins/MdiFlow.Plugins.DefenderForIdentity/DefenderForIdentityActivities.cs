using Azure.Core;
using MdiFlow.Hosting;
using MdiFlow.Plugins.DefenderForIdentity.AccessKeys;
using MdiFlow.Plugins.DefenderForIdentity.Graph;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Host.Windows;
using MdiFlow.Plugins.DefenderForIdentity.Licensing;
using MdiFlow.Plugins.DefenderForIdentity.Packages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.DefenderForIdentity;

/// <summary>
/// Installs the Defender for Identity activities: <c>mdi.checkLicense</c>, <c>mdi.checkAdminRole</c>,
/// <c>mdi.probeSensorApi</c>, <c>mdi.detectServerRole</c>, <c>mdi.checkAuditing</c>, <c>mdi.applyAuditing</c>,
/// <c>mdi.checkServiceAccount</c>, <c>mdi.checkNicTeaming</c>, <c>mdi.getAccessKey</c>, <c>mdi.downloadPackage</c>,
/// <c>mdi.checkPendingRestart</c>, <c>mdi.installSensor</c>, <c>mdi.activateSensorV3</c>, <c>mdi.verifySensor</c> and
/// <c>mdi.checkSensorHealth</c>.
/// </summary>
public static class DefenderForIdentityActivities
{
    /// <summary>
    /// Installs the MDI activities with what they use: <see cref="DefenderForIdentityOptions"/>, a Microsoft Graph
    /// HttpClient with the standard resilience handler (429 and 503 honour Retry-After; 5xx and timeouts retried),
    /// a plain HttpClient for the sensor package host (it never gets the Graph token), a <see cref="TokenCredential"/>
    /// built from <see cref="DefenderForIdentityOptions.Authentication"/>, the host facts and auditing settings of this
    /// server (Windows; elsewhere every host call fails with <c>host.unsupported</c>) and the setup launcher.
    /// </summary>
    /// <remarks>
    /// <see cref="TokenCredential"/>, <see cref="IHostFacts"/>, <see cref="IAuditSettings"/> and <see cref="ISetupLauncher"/> are added only when
    /// none is registered yet, so a rehearsal environment registers its own before this call or replaces them after it
    /// (<c>services.Replace(...)</c>); it points Graph and the sensor API elsewhere with
    /// <c>services.Configure&lt;DefenderForIdentityOptions&gt;(...)</c>. Calling this twice installs everything once.
    /// </remarks>
    /// <param name="builder">The MdiFlow builder from <c>AddMdiFlow</c>.</param>
    /// <param name="configure">Sets the options, for example the Graph authentication.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <example><code>services.AddMdiFlow(flow => flow.AddDefenderForIdentity(o => o.Authentication.TenantId = "contoso.onmicrosoft.com"));</code></example>
    public static MdiFlowBuilder AddDefenderForIdentity(this MdiFlowBuilder builder, Action<DefenderForIdentityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<DefenderForIdentityOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DefenderForIdentityOptions>, DefenderForIdentityOptionsValidator>());
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(GraphClient)))
        {
            return builder;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(sp =>
        {
            var configured = sp.GetRequiredService<IOptions<DefenderForIdentityOptions>>().Value;
            return new ConfiguredGraphCredential(configured.Authentication, configured.GraphProxy, Console.Error);
        });
        services.TryAddSingleton<IHostFacts>(sp => OperatingSystem.IsWindows()
            ? new WindowsHostFacts(sp.GetRequiredService<TimeProvider>())
            : new UnsupportedHostFacts());
        services.TryAddSingleton<IAuditSettings>(sp => OperatingSystem.IsWindows()
            ? new WindowsAuditSettings(sp.GetRequiredService<TimeProvider>())
            : new UnsupportedAuditSettings());
        services.TryAddSingleton<ISetupLauncher, ProcessSetupLauncher>();
        services.TryAddSingleton<AccessKeyVault>();
        services.TryAddTransient<GraphAuthenticationHandler>();
        services.TryAddTransient<GraphClient>();
        services.TryAddSingleton<RehearsalSandbox>();

        // The package host gets no Graph token: a plain client of its own.
        services.AddHttpClient(DownloadPackageActivity.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);

        // Handlers run in the order added: the resilience handler outermost, so each retry gets a current token.
        var graph = services.AddHttpClient(GraphClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        graph.ConfigurePrimaryHttpMessageHandler(sp => GraphProxyHandler(sp.GetRequiredService<IOptions<DefenderForIdentityOptions>>().Value.GraphProxy));
        graph.AddStandardResilienceHandler(ConfigureResilience);
        graph.AddHttpMessageHandler<GraphAuthenticationHandler>();

        return builder.AddActivitiesFrom<CheckLicenseActivity>();
    }

    /// <summary>Graph's connections: through <see cref="DefenderForIdentityOptions.GraphProxy"/> when one is set, else the system's proxy.</summary>
    private static SocketsHttpHandler GraphProxyHandler(Uri? proxy) => proxy is null
        ? new SocketsHttpHandler()
        : new SocketsHttpHandler { UseProxy = true, Proxy = new System.Net.WebProxy(proxy) { UseDefaultCredentials = true } };

    /// <summary>
    /// The standard pipeline (rate limiter, total timeout, retry, circuit breaker, attempt timeout) with room for
    /// Graph's throttling: up to 4 retries, waiting what Retry-After asks (the retry strategy's default), within 3 minutes.
    /// </summary>
    private static void ConfigureResilience(HttpStandardResilienceOptions options)
    {
        options.Retry.MaxRetryAttempts = 4;
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(3);

        // The breaker's sampling window must be at least twice the attempt timeout.
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
    }
}
