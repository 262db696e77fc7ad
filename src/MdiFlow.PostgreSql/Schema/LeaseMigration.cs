namespace MdiFlow.PostgreSql.Schema;

/// <summary>
/// Schema 4: leases with fencing and the workers' heartbeats. Every instance keeps the fencing token of its last claim
/// in a column, so that a save carrying an older token (a holder whose lease was taken over) is refused by the
/// statement itself; the workers table says which host's worker was last seen when.
/// </summary>
internal static class LeaseMigration
{
    public const string Sql = """
        ALTER TABLE mdiflow.instances ADD COLUMN lease_token bigint NOT NULL DEFAULT 0;
        UPDATE mdiflow.instances SET lease_token = COALESCE((document::jsonb ->> 'leaseToken')::bigint, 0) WHERE document::jsonb ? 'leaseToken';
        COMMENT ON COLUMN mdiflow.instances.lease_token IS 'The fencing token of the last lease taken on the instance; a save that carries an older one is refused.';
        GRANT UPDATE (lease_token) ON mdiflow.instances TO {app};

        CREATE TABLE mdiflow.workers (
            owner        text    NOT NULL PRIMARY KEY,
            host         text    NOT NULL,
            pid          integer NOT NULL,
            started_at   bigint  NOT NULL,
            heartbeat_at bigint  NOT NULL
        );
        COMMENT ON TABLE mdiflow.workers IS 'One row per running worker process, its heartbeat renewed while it runs (UTC .NET ticks); a row whose heartbeat is old is a worker that stopped or died.';
        CREATE INDEX ix_workers_host ON mdiflow.workers (host, heartbeat_at);
        GRANT SELECT, INSERT, UPDATE, DELETE ON mdiflow.workers TO {app};
        """;
}
