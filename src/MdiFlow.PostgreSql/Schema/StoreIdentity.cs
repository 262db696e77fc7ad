using Npgsql;

namespace MdiFlow.PostgreSql.Schema;

/// <summary>
/// Decides, without changing anything, whether a database may hold the store: a database of another application,
/// a schema <c>mdiflow</c> that MdiFlow did not create, or a store of a newer MdiFlow is refused untouched; so is a
/// server that cannot keep a store safely (too old, not UTF8, fsync off).
/// </summary>
internal static class StoreIdentity
{
    /// <summary>The oldest server version the store runs on (<c>server_version_num</c>).</summary>
    public const int OldestServer = 130000;

    private const string FactsSql = """
        SELECT current_setting('server_version_num')::int,
               current_setting('server_encoding'),
               current_setting('fsync'),
               to_regclass('mdiflow.store_info') IS NOT NULL,
               (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'mdiflow')
                 + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'mdiflow'),
               ARRAY(SELECT n.nspname || '.' || c.relname
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
                       AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'mdiflow')
                       AND n.nspname NOT LIKE 'pg\_%'
                     ORDER BY 1 LIMIT 5)
        """;

    /// <summary>Reads what the database says about itself.</summary>
    public static async Task<StoreFacts> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        int serverVersion;
        string encoding;
        bool fsync;
        bool marked;
        long schemaObjects;
        string[] foreignTables;
        await using (var command = new NpgsqlCommand(FactsSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            serverVersion = reader.GetInt32(0);
            encoding = reader.GetString(1);
            fsync = reader.GetString(2) == "on";
            marked = reader.GetBoolean(3);
            schemaObjects = reader.GetInt64(4);
            foreignTables = reader.GetFieldValue<string[]>(5);
        }

        var facts = new StoreFacts(serverVersion, encoding, fsync, schemaObjects, foreignTables);
        if (!marked)
        {
            return facts;
        }

        // journal_key arrives with schema 2: read through the row's JSON, so a schema-1 store reads too.
        await using (var command = new NpgsqlCommand("SELECT application, schema_version, owner_role, application_role, to_jsonb(s) ->> 'journal_key' FROM mdiflow.store_info s", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? facts with
                {
                    Application = reader.GetString(0),
                    SchemaVersion = reader.GetInt32(1),
                    Roles = new StoreRoles(reader.GetString(2), reader.GetString(3)),
                    JournalKey = reader.IsDBNull(4) ? null : reader.GetString(4),
                }
                : facts with { Application = "" };
        }
    }

    /// <summary>Refuses a server or database that must not hold the store, or a store of a newer schema than <paramref name="current"/>.</summary>
    public static void Judge(StoreFacts facts, StoreSettings settings, int current)
    {
        if (facts.ServerVersion < OldestServer)
        {
            throw StoreErrors.OldServer(settings, facts.ServerVersion);
        }

        if (!string.Equals(facts.Encoding, "UTF8", StringComparison.OrdinalIgnoreCase))
        {
            throw StoreErrors.NotUtf8(settings, facts.Encoding);
        }

        if (!facts.Fsync)
        {
            throw StoreErrors.NoFsync(settings);
        }

        switch (facts.Application)
        {
            case null when facts.SchemaObjects > 0:
                throw StoreErrors.ForeignSchema(settings);
            case null when facts.ForeignTables.Count > 0:
                throw StoreErrors.NotAStore(settings, facts.ForeignTables);
            case null:
                return;
            case StoreSchema.Application when facts.SchemaVersion > current:
                throw StoreErrors.Newer(settings, facts.SchemaVersion, current);
            case StoreSchema.Application:
                return;
            default:
                throw StoreErrors.Damaged(settings, "mdiflow.store_info has no row that marks it as an MdiFlow store");
        }
    }
}

/// <summary>What a database says about itself and its server.</summary>
/// <param name="ServerVersion">The server's <c>server_version_num</c>.</param>
/// <param name="Encoding">The database's <c>server_encoding</c>.</param>
/// <param name="Fsync">Whether the server flushes its commits to the disk.</param>
/// <param name="SchemaObjects">How many tables, indexes, sequences and functions the schema <c>mdiflow</c> holds.</param>
/// <param name="ForeignTables">Up to five tables (or views) outside the schema <c>mdiflow</c>.</param>
internal sealed record StoreFacts(int ServerVersion, string Encoding, bool Fsync, long SchemaObjects, IReadOnlyList<string> ForeignTables)
{
    /// <summary><c>MdiFlow</c> in a store; null when the database has no <c>mdiflow.store_info</c>.</summary>
    public string? Application { get; init; }

    /// <summary>The store's schema version; 0 before it has one.</summary>
    public int SchemaVersion { get; init; }

    /// <summary>The roles recorded when the store was created; null before.</summary>
    public StoreRoles? Roles { get; init; }

    /// <summary>The fingerprint (<see cref="Journal.JournalKey.Id"/>) of the store's journal key; null before schema 2.</summary>
    public string? JournalKey { get; init; }

    /// <summary>An MdiFlow store of schema <paramref name="current"/>: nothing to do.</summary>
    public bool IsCurrent(int current) => Application == StoreSchema.Application && SchemaVersion == current;

    /// <summary>Nothing yet: the store is to be created.</summary>
    public bool IsBlank => Application is null;
}
