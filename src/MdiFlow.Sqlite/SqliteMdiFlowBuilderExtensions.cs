using MdiFlow.Hosting;
using MdiFlow.Journal;
using MdiFlow.Sqlite;

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
    /// <example><code>services.AddMdiFlow(flow => flow.UseSqlite(o => { o.Path = "mdiflow.db"; o.BusyTimeout = TimeSpan.FromSeconds(30); }));</code></example>
    /// <exception cref="ArgumentException">The options are not valid (checked here, not at first use).</exception>
    public static MdiFlowBuilder UseSqlite(this MdiFlowBuilder builder, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SqliteStoreOptions();
        configure(options);
        options.Validate();
        var keys = options.KeyFile is { } file ? JournalKeyProvider.FromFile(file) : JournalKeyProvider.ForStore(Path.GetFullPath(options.Path) + ".key");
        return builder.UseJournalKey(keys).UseStore(_ => new SqliteWorkflowStore(options, keys));
    }
}
