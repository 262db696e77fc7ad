using MdiFlow.Hosting;
using MdiFlow.Journal;
using MdiFlow.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MdiFlow;

/// <summary>Chooses the SQLite store for MdiFlow.</summary>
public static class SqliteMdiFlowBuilderExtensions
{
    /// <summary>Keeps instances and journals in the SQLite file at <paramref name="path"/>, created on first use.</summary>
    /// <example><code>services.AddMdiFlow(flow => flow.UseSqlite("mdiflow.db"));</code></example>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static MdiFlowBuilder UseSqlite(this MdiFlowBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.UseSqlite(options => options.Path = path);
    }

    /// <summary>Keeps instances and journals in a SQLite file, configured by <paramref name="configure"/>.</summary>
    /// <remarks>The options are checked when the host starts (every mistake at once), or else when the store is first resolved.</remarks>
    /// <example><code>services.AddMdiFlow(flow => flow.UseSqlite(o => { o.Path = "mdiflow.db"; o.BusyTimeout = TimeSpan.FromSeconds(30); }));</code></example>
    public static MdiFlowBuilder UseSqlite(this MdiFlowBuilder builder, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SqliteStoreOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        builder.Services.RemoveAll<JournalKeyProvider>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
            return options.KeyFile is { } file ? JournalKeyProvider.FromFile(file) : JournalKeyProvider.ForStore(Path.GetFullPath(options.Path) + ".key");
        });
        return builder.UseStore(sp => new SqliteWorkflowStore(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value, sp.GetRequiredService<JournalKeyProvider>()));
    }
}
