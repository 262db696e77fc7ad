using MdiFlow.Cli.Configuration;
using MdiFlow.Hosting;
using MdiFlow.PostgreSql;

namespace MdiFlow.Cli.Hosting;

/// <summary>
/// Where state lives: the configuration's <c>store</c> (<c>--store</c>, <c>MDIFLOW_STORE</c>, <c>mdiflow.json</c>), else
/// <c>sqlite:mdiflow.db</c>. A store is <c>sqlite:PATH</c> or <c>postgres:CONNECTION-STRING</c>.
/// </summary>
internal sealed record StoreLocation(string Kind, string Target, bool Explicit)
{
    public const string Variable = "MDIFLOW_STORE";

    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    /// <summary>The store <paramref name="text"/> names, from <paramref name="source"/> (for the message when it is not one).</summary>
    public static StoreLocation Parse(string text, string source, bool fromFlag)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon > 0 ? text[..colon].ToLowerInvariant() : "";
        var target = colon > 0 ? text[(colon + 1)..] : "";
        return kind switch
        {
            Sqlite when target.Length > 0 => new StoreLocation(kind, target, fromFlag),
            Postgres when !string.IsNullOrWhiteSpace(target) => new StoreLocation(kind, target, fromFlag),
            Postgres => throw new UsageException($"The store 'postgres:' (from {source}) needs a connection string, for example --store 'postgres:Host=db01;Database=mdiflow;Username=dc01_worker' (see docs/postgresql.md)."),
            // Shown never repeats a password: the text may be a connection string.
            _ => throw new UsageException($"'{SettingValues.Shown(Settings.Store, text)}' (from {source}) is not a store. Use --store sqlite:PATH or --store 'postgres:Host=...;Database=...' (or set {Variable}, or store in mdiflow.json)."),
        };
    }

    /// <summary>
    /// The option to repeat in suggested commands, so they reach the same store. A connection string is quoted for the
    /// shell and never carries its password (the command finds it where this one did: PGPASSWORD or a pgpass file).
    /// </summary>
    public string Argument => !Explicit ? "" : $" --store {ShellText.Quote($"{Kind}:{(Kind == Postgres ? PostgreSqlConnectionText.WithoutSecrets(Target) : Target)}")}";

    /// <summary>The folder of files kept beside the store (the policy, the lab's state): the SQLite file's folder, else the current one.</summary>
    public string Folder => Kind == Sqlite ? Path.GetDirectoryName(Path.GetFullPath(Target)) ?? "." : Directory.GetCurrentDirectory();

    /// <summary>Whether there may be a store to read: a SQLite file that exists; a PostgreSQL server is asked when the store opens.</summary>
    public bool Exists => Kind != Sqlite || File.Exists(Target);

    /// <summary>The store as messages name it: the SQLite file's full path, or the connection string without its password.</summary>
    public string Display => Kind == Postgres ? PostgreSqlConnectionText.WithoutSecrets(Target) : Path.GetFullPath(Target);

    /// <summary>Chooses this store for <paramref name="flow"/>; <paramref name="readOnly"/> opens it for reading only.</summary>
    /// <exception cref="UsageException">The connection string is malformed (the message never repeats its values).</exception>
    public void Use(MdiFlowBuilder flow, bool readOnly)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (Kind != Postgres)
        {
            flow.UseSqlite(o =>
            {
                o.Path = Target;
                o.ReadOnly = readOnly;
            });
            return;
        }

        try
        {
            flow.UsePostgreSql(o =>
            {
                o.ConnectionString = Target;
                o.ReadOnly = readOnly;
            });
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
