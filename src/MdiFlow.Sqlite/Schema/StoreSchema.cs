namespace MdiFlow.Sqlite.Schema;

/// <summary>The store's identity and its schema, as an ordered list of forward migrations.</summary>
internal static class StoreSchema
{
    /// <summary><c>PRAGMA application_id</c> of every MdiFlow store: "MDIF" in ASCII.</summary>
    public const int ApplicationId = 0x4D444946;

    /// <summary>Every schema change, oldest first. A version is never edited once released: add a new one.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "instances and their append-only journal", """
            CREATE TABLE instances (
                id          TEXT    NOT NULL PRIMARY KEY,
                workflow_id TEXT    NOT NULL,
                status      TEXT    NOT NULL,
                version     INTEGER NOT NULL,
                created_at  TEXT    NOT NULL,
                updated_at  TEXT    NOT NULL,
                due_at      TEXT    NULL,
                document    TEXT    NOT NULL
            );
            CREATE INDEX ix_instances_status_created_at ON instances (status, created_at);
            CREATE INDEX ix_instances_created_at ON instances (created_at);

            CREATE TABLE journal (
                instance_id   TEXT    NOT NULL REFERENCES instances (id),
                seq           INTEGER NOT NULL,
                at            TEXT    NOT NULL,
                kind          TEXT    NOT NULL,
                actor         TEXT    NOT NULL,
                actor_source  TEXT    NOT NULL,
                step          TEXT    NULL,
                data          TEXT    NULL,
                previous_hash TEXT    NOT NULL,
                hash          TEXT    NOT NULL,
                PRIMARY KEY (instance_id, seq)
            ) WITHOUT ROWID;

            -- The journal is the change record: refuse edits and deletions, whoever attempts them.
            CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
            BEGIN SELECT RAISE(ABORT, 'the MdiFlow journal is append-only'); END;
            CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
            BEGIN SELECT RAISE(ABORT, 'the MdiFlow journal is append-only'); END;
            """),
        new(2, "definitions kept once by hash, outside the instance documents; listings ordered by an index", """
            CREATE TABLE definitions (
                hash       TEXT NOT NULL PRIMARY KEY,
                definition TEXT NOT NULL
            ) WITHOUT ROWID;

            ALTER TABLE instances ADD COLUMN definition_hash TEXT NOT NULL DEFAULT '';

            INSERT OR IGNORE INTO definitions (hash, definition)
            SELECT json_extract(document, '$.definitionHash'), json_extract(document, '$.definition')
            FROM instances
            WHERE json_type(document, '$.definition') = 'object';

            UPDATE instances
            SET definition_hash = json_extract(document, '$.definitionHash'),
                document = json_remove(document, '$.definition');

            -- Newest first, ties by id: both listings read their rows in index order and stop at the limit.
            DROP INDEX ix_instances_status_created_at;
            DROP INDEX ix_instances_created_at;
            CREATE INDEX ix_instances_status_created_at ON instances (status, created_at, id);
            CREATE INDEX ix_instances_created_at ON instances (created_at, id);
            """),
        new(3, "a keyed journal and sealed documents: every entry's MAC under the store's key, a seal beside every document", """
            ALTER TABLE instances ADD COLUMN seal TEXT NOT NULL DEFAULT '';
            """, KeyedJournalMigration.Run),
        new(4, "each instance's wake time and required host beside its document, and the index a worker finds due instances by", WakeIndexMigration.Sql, WakeIndexMigration.Run),
        new(5, "the hosts whose workers use the store, so that a worker of a second host is refused", """
            CREATE TABLE worker_hosts (
                host    TEXT NOT NULL PRIMARY KEY,
                seen_at TEXT NOT NULL
            ) WITHOUT ROWID;
            """),
    ];

    /// <summary>The newest schema this version reads and writes.</summary>
    public static int CurrentVersion => Migrations[^1].Version;
}

/// <summary>One forward step of the schema.</summary>
/// <param name="Version">The <c>user_version</c> the store has after it.</param>
/// <param name="Description">What it changes.</param>
/// <param name="Sql">The statements; they run inside the migration transaction.</param>
/// <param name="Code">What must be computed rather than written in SQL (MACs under the store's key), run after the statements in the same transaction.</param>
internal sealed record Migration(int Version, string Description, string Sql, Action<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction, Journal.JournalKey>? Code = null);
