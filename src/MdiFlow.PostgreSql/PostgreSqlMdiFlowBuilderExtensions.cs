using MdiFlow.Engine;
using MdiFlow.Hosting;
using MdiFlow.PostgreSql;
using MdiFlow.PostgreSql.WakeUps;
using MdiFlow.Storage;
using MdiFlow.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MdiFlow;

/// <summary>Chooses the PostgreSQL store for MdiFlow.</summary>
public static class PostgreSqlMdiFlowBuilderExtensions
{
    /// <summary>
    /// Keeps instances and journals in the PostgreSQL database of <paramref name="connectionString"/>; its schema is
    /// created on first use. The journal key is the host's (<c>/etc/mdiflow/journal.key</c>), the same on every host.
    /// </summary>
    /// <example><code>services.AddMdiFlow(flow => flow.UsePostgreSql("Host=db01;Database=mdiflow;Username=dc01_worker"));</code></example>
    /// <exception cref="ArgumentException">The connection string is empty or malformed (the message never repeats its values).</exception>
    public static MdiFlowBuilder UsePostgreSql(this MdiFlowBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgreSql(options => options.ConnectionString = connectionString);
    }

    /// <summary>Keeps instances and journals in a PostgreSQL database, configured by <paramref name="configure"/>.</summary>
    /// <example><code>services.AddMdiFlow(flow => flow.UsePostgreSql(o =>
    /// {
    ///     o.ConnectionString = "Host=db01;Database=mdiflow;Username=dc01_worker";
    ///     o.ApplicationRole = "rollout_app";
    /// }));</code></example>
    /// <exception cref="ArgumentException">The options are not valid (checked here, not at first use).</exception>
    public static MdiFlowBuilder UsePostgreSql(this MdiFlowBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgreSqlStoreOptions();
        configure(options);
        options.Validate();
        var keys = StoreSettings.KeysOf(options);
        builder.UseJournalKey(keys).UseStore(_ => new PostgreSqlWorkflowStore(options, keys));

        // The hosted worker (AddMdiFlowWorker) waits on it between passes: LISTEN/NOTIFY wakes it at once, its poll stays the guarantee.
        builder.Services.RemoveAll<IWakeSignal>();
        builder.Services.AddSingleton<IWakeSignal>(sp => new NotificationListener(
            sp.GetRequiredService<IWorkflowStore>() as PostgreSqlWorkflowStore
                ?? throw new InvalidOperationException("The PostgreSQL wake-up signal needs the PostgreSQL store: call UsePostgreSql last, or remove the other store."),
            sp.GetRequiredService<IOptions<WorkerOptions>>().Value.HostName ?? sp.GetRequiredService<IOptions<EngineOptions>>().Value.HostName,
            sp.GetRequiredService<TimeProvider>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("MdiFlow.PostgreSql")));
        return builder;
    }
}
