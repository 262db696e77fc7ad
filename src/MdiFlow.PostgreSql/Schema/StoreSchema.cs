namespace MdiFlow.PostgreSql.Schema;

/// <summary>
/// The store's schema as an ordered list of forward migrations. Everything lives in the schema <c>mdiflow</c>, owned
/// by the owner role; the application role gets exactly the privileges each table needs.
/// </summary>
/// <remarks>
/// Times are UTC .NET ticks (100 ns since 0001-01-01) in <c>bigint</c> columns: every tick the engine wrote survives,
/// which <c>timestamptz</c> (microseconds) would not keep, and the journal's MACs cover them.
/// <c>mdiflow.ticks_to_timestamptz(ticks)</c> shows them as times. Documents and definitions are <c>json</c>, which
/// keeps the text exactly as written; journal data is <c>text</c>.
/// </remarks>
internal static class StoreSchema
{
    /// <summary>The schema that holds the store.</summary>
    public const string Name = "mdiflow";

    /// <summary>What <c>mdiflow.store_info.application</c> says in every MdiFlow store.</summary>
    public const string Application = "MdiFlow";

    /// <summary>The advisory lock migrators take (the two keys of <c>pg_advisory_xact_lock</c>): "MDIF", then 1 for "schema".</summary>
    public const int LockKey = 0x4D444946;

    /// <summary>Every schema change, oldest first. A version is never edited once released: add a new one.</summary>
    /// <remarks><c>{owner}</c> and <c>{app}</c> stand for the (validated) role names.</remarks>
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "instances, definitions kept once by hash, and the append-only journal; roles and privileges", """
            CREATE TABLE mdiflow.store_info (
                singleton        boolean NOT NULL PRIMARY KEY DEFAULT true CHECK (singleton),
                application      text    NOT NULL CHECK (application = 'MdiFlow'),
                schema_version   integer NOT NULL,
                owner_role       text    NOT NULL,
                application_role text    NOT NULL
            );
            COMMENT ON TABLE mdiflow.store_info IS 'Marks this database as an MdiFlow store and records its schema version.';

            CREATE TABLE mdiflow.schema_history (
                version     integer     NOT NULL PRIMARY KEY,
                description text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
                applied_by  text        NOT NULL DEFAULT session_user
            );

            CREATE FUNCTION mdiflow.ticks_to_timestamptz(ticks bigint) RETURNS timestamptz
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                AS $fn$ SELECT to_timestamp(((ticks - 621355968000000000) / 10000000.0)::double precision) $fn$;
            COMMENT ON FUNCTION mdiflow.ticks_to_timestamptz(bigint) IS 'Shows a time column of the store (UTC .NET ticks) as a timestamptz, to the microsecond.';

            CREATE TABLE mdiflow.definitions (
                hash       text NOT NULL PRIMARY KEY,
                definition json NOT NULL
            );

            -- Pages are left 40 % free: a save that changes no indexed column (most step transitions) then finds room
            -- for the new row version on its page, a HOT update that writes no index entry (a quarter less work per save).
            CREATE TABLE mdiflow.instances (
                id              text   COLLATE "C" NOT NULL PRIMARY KEY,
                workflow_id     text   NOT NULL,
                status          text   NOT NULL,
                version         bigint NOT NULL CHECK (version > 0),
                created_at      bigint NOT NULL,
                updated_at      bigint NOT NULL,
                due_at          bigint NULL,
                definition_hash text   NOT NULL REFERENCES mdiflow.definitions (hash),
                document        json   NOT NULL
            ) WITH (fillfactor = 60);
            COMMENT ON COLUMN mdiflow.instances.created_at IS 'UTC .NET ticks; see mdiflow.ticks_to_timestamptz.';
            -- Newest first, ties by id: both listings read their rows in index order and stop at the limit.
            CREATE INDEX ix_instances_status_created_at ON mdiflow.instances (status, created_at, id);
            CREATE INDEX ix_instances_created_at ON mdiflow.instances (created_at, id);

            CREATE TABLE mdiflow.journal (
                instance_id   text   COLLATE "C" NOT NULL REFERENCES mdiflow.instances (id),
                seq           bigint NOT NULL CHECK (seq > 0),
                at            bigint NOT NULL,
                kind          text   NOT NULL,
                actor         text   NOT NULL,
                actor_source  text   NOT NULL,
                step          text   NULL,
                data          text   NULL,
                previous_hash text   NOT NULL,
                hash          text   NOT NULL,
                PRIMARY KEY (instance_id, seq)
            );
            COMMENT ON TABLE mdiflow.journal IS 'The change record: rows are only ever inserted. The application role cannot update, delete or truncate them, and triggers refuse it to everyone.';

            -- The journal is the change record: refuse edits and deletions, whoever attempts them.
            CREATE FUNCTION mdiflow.journal_append_only() RETURNS trigger
                LANGUAGE plpgsql SET search_path = pg_catalog
                AS $fn$
                BEGIN
                    RAISE EXCEPTION 'the MdiFlow journal is append-only: % on mdiflow.journal is refused', TG_OP
                        USING ERRCODE = 'insufficient_privilege',
                              HINT = 'Journal rows are never changed; append a new entry instead.';
                END;
                $fn$;
            CREATE TRIGGER journal_no_update BEFORE UPDATE ON mdiflow.journal
                FOR EACH ROW EXECUTE FUNCTION mdiflow.journal_append_only();
            CREATE TRIGGER journal_no_delete BEFORE DELETE ON mdiflow.journal
                FOR EACH ROW EXECUTE FUNCTION mdiflow.journal_append_only();
            CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON mdiflow.journal
                FOR EACH STATEMENT EXECUTE FUNCTION mdiflow.journal_append_only();

            -- What the application role may do: read everything; insert instances, definitions and journal rows;
            -- update only the changing columns of instances; never update, delete or truncate the journal.
            REVOKE ALL ON ALL TABLES IN SCHEMA mdiflow FROM PUBLIC;
            REVOKE ALL ON FUNCTION mdiflow.journal_append_only() FROM PUBLIC;
            GRANT USAGE ON SCHEMA mdiflow TO {app};
            GRANT SELECT ON mdiflow.store_info, mdiflow.schema_history TO {app};
            GRANT SELECT, INSERT ON mdiflow.definitions TO {app};
            GRANT SELECT, INSERT ON mdiflow.instances TO {app};
            GRANT UPDATE (status, version, updated_at, due_at, document) ON mdiflow.instances TO {app};
            GRANT SELECT, INSERT ON mdiflow.journal TO {app};
            """),
        new(2, "a keyed journal and sealed documents: every entry's MAC under the store's key, a seal beside every document, the key's fingerprint recorded", """
            ALTER TABLE mdiflow.instances ADD COLUMN seal text NOT NULL DEFAULT '';
            ALTER TABLE mdiflow.instances ALTER COLUMN seal DROP DEFAULT;
            COMMENT ON COLUMN mdiflow.instances.seal IS 'HMAC-SHA256 under the journal key over the id and the document text, written in the same statement as the document.';
            GRANT UPDATE (seal) ON mdiflow.instances TO {app};

            ALTER TABLE mdiflow.journal RENAME COLUMN previous_hash TO previous_mac;
            ALTER TABLE mdiflow.journal RENAME COLUMN hash TO mac;

            ALTER TABLE mdiflow.store_info ADD COLUMN journal_key text NULL;
            COMMENT ON COLUMN mdiflow.store_info.journal_key IS 'The fingerprint (never the key) of the journal key every host of this store must use.';
            """, KeyedJournalMigration.RunAsync),
        new(3, "every instance's wake time and required host, indexed for the workers", WakeIndexMigration.Sql, WakeIndexMigration.RunAsync),
        new(4, "leases with fencing tokens, and the workers' heartbeats", LeaseMigration.Sql),
    ];

    /// <summary>The newest schema this version reads and writes.</summary>
    public static int CurrentVersion => Migrations[^1].Version;
}

/// <summary>One forward step of the schema.</summary>
/// <param name="Version">The schema version the store has after it.</param>
/// <param name="Description">What it changes (kept in <c>mdiflow.schema_history</c>).</param>
/// <param name="Sql">The statements; they run inside the migration transaction, as the owner role.</param>
/// <param name="Code">What must be computed rather than written in SQL (MACs under the store's key), run after the statements in the same transaction.</param>
internal sealed record Migration(int Version, string Description, string Sql, Func<Npgsql.NpgsqlConnection, StoreSettings, Journal.JournalKey, CancellationToken, Task>? Code = null)
{
    /// <summary>The statements with the role names filled in.</summary>
    public string For(StoreRoles roles) => Sql.Replace("{owner}", roles.QuotedOwner, StringComparison.Ordinal).Replace("{app}", roles.QuotedApplication, StringComparison.Ordinal);
}
