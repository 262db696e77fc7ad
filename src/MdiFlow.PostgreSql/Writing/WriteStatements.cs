using Npgsql;
using NpgsqlTypes;

namespace MdiFlow.PostgreSql.Writing;

/// <summary>
/// The statements a commit carries: one inserts every create of the batch, one updates every save, each with its
/// journal rows, whatever their number (arrays, so the text never changes and is prepared once), and the wake-up
/// notifications. The seal, the wake time and the fencing token are written in the same statement as the document. A
/// create whose id exists, a save whose version is stale or whose lease was taken over (its token is older than the
/// stored one) is left out, with its journal rows, and reported; it never fails the others. A claim (a save whose
/// token is newer than the stored one) skips a row another claimer holds locked instead of waiting for it
/// (<c>FOR UPDATE SKIP LOCKED</c>), so two workers never queue on one instance: the second is refused at once.
/// The journal is only ever inserted into.
/// </summary>
internal static class WriteStatements
{
    private const string Creates = """
        WITH w AS MATERIALIZED (
            SELECT u.id COLLATE "C" AS id, u.workflow_id, u.status, u.created_at, u.updated_at, u.due_at, u.document, u.definition_hash, u.seal, u.wake_at, u.required_host, u.lease_token, u.ord
            FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $21::text[], $22::bigint[], $23::text[], $24::bigint[])
                WITH ORDINALITY AS u (id, workflow_id, status, created_at, updated_at, due_at, document, definition_hash, seal, wake_at, required_host, lease_token, ord)
        ),
        stored_definitions AS (
            INSERT INTO mdiflow.definitions (hash, definition)
            SELECT d.hash, d.definition::json FROM unnest($9::text[], $10::text[]) AS d (hash, definition)
            ON CONFLICT (hash) DO NOTHING
        ),
        inserted AS (
            INSERT INTO mdiflow.instances (id, workflow_id, status, version, created_at, updated_at, due_at, document, definition_hash, seal, wake_at, required_host, lease_token)
            SELECT w.id, w.workflow_id, w.status, 1, w.created_at, w.updated_at, w.due_at, w.document::json, w.definition_hash, w.seal, w.wake_at, w.required_host, w.lease_token FROM w
            ON CONFLICT (id) DO NOTHING
            RETURNING id
        ),
        appended AS (
            INSERT INTO mdiflow.journal (instance_id, seq, at, kind, actor, actor_source, step, data, previous_mac, mac)
            SELECT w.id, e.seq, e.at, e.kind, e.actor, e.actor_source, e.step, e.data, e.previous_mac, e.mac
            FROM unnest($11::bigint[], $12::bigint[], $13::bigint[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[])
                AS e (ord, seq, at, kind, actor, actor_source, step, data, previous_mac, mac)
            JOIN w ON w.ord = e.ord
            JOIN inserted i ON i.id = w.id
        )
        SELECT w.ord, i.id IS NOT NULL, NULL::bigint, NULL::bigint FROM w LEFT JOIN inserted i ON i.id = w.id ORDER BY w.ord
        """;

    // Claims lock their rows first, skipping those another claimer holds; the update then takes a claim only where it
    // holds the lock, and any other save as usual (waiting for a concurrent writer, then checking the version). The
    // last SELECT reads, for a refused save only, the stored version and token as they were before this statement:
    // what made it stale (or none: the instance does not exist).
    private const string Saves = """
        WITH w AS MATERIALIZED (
            SELECT u.id COLLATE "C" AS id, u.expected, u.status, u.updated_at, u.due_at, u.document, u.seal, u.wake_at, u.required_host, u.token, u.lease_token, u.ord
            FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $17::text[], $18::bigint[], $19::text[], $20::bigint[], $21::bigint[])
                WITH ORDINALITY AS u (id, expected, status, updated_at, due_at, document, seal, wake_at, required_host, token, lease_token, ord)
        ),
        claimed AS (
            SELECT i.id FROM mdiflow.instances AS i JOIN w ON i.id = w.id
            WHERE w.token > i.lease_token
            FOR UPDATE OF i SKIP LOCKED
        ),
        updated AS (
            UPDATE mdiflow.instances AS i
            SET status = w.status, updated_at = w.updated_at, due_at = w.due_at, document = w.document::json, seal = w.seal,
                wake_at = w.wake_at, required_host = w.required_host, lease_token = w.lease_token, version = i.version + 1
            FROM w
            WHERE i.id = w.id AND i.version = w.expected
              AND (w.token = 0 OR w.token >= i.lease_token)
              AND (w.token <= i.lease_token OR i.id IN (SELECT c.id FROM claimed c))
            RETURNING w.ord
        ),
        appended AS (
            INSERT INTO mdiflow.journal (instance_id, seq, at, kind, actor, actor_source, step, data, previous_mac, mac)
            SELECT w.id, e.seq, e.at, e.kind, e.actor, e.actor_source, e.step, e.data, e.previous_mac, e.mac
            FROM unnest($7::bigint[], $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
                AS e (ord, seq, at, kind, actor, actor_source, step, data, previous_mac, mac)
            JOIN updated u ON u.ord = e.ord
            JOIN w ON w.ord = e.ord
        )
        SELECT w.ord, u.ord IS NOT NULL, s.version, s.lease_token
        FROM w LEFT JOIN updated u ON u.ord = w.ord
        LEFT JOIN mdiflow.instances s ON u.ord IS NULL AND s.id = w.id
        ORDER BY w.ord
        """;

    /// <summary>The statement that inserts <paramref name="creates"/> (none of them with the same id).</summary>
    public static NpgsqlBatchCommand Insert(IReadOnlyList<PendingWrite> creates)
    {
        var command = new NpgsqlBatchCommand(Creates);
        var p = command.Parameters;
        p.Add(Texts(creates, w => w.Id.Value));
        p.Add(Texts(creates, w => w.WorkflowId));
        p.Add(Texts(creates, w => ColumnValues.FromStatus(w.Status)));
        p.Add(Numbers(creates, w => ColumnValues.FromTime(w.CreatedAt)));
        p.Add(Numbers(creates, w => ColumnValues.FromTime(w.UpdatedAt)));
        p.Add(OptionalNumbers(creates, w => ColumnValues.FromTime(w.DueAt)));
        p.Add(Texts(creates, w => w.Document));
        p.Add(Texts(creates, w => w.DefinitionHash));
        var definitions = creates.Where(w => w.Definition is not null).DistinctBy(w => w.DefinitionHash, StringComparer.Ordinal).ToList();
        p.Add(Texts(definitions, w => w.DefinitionHash));
        p.Add(Texts(definitions, w => w.Definition!));
        AddEntries(p, creates);
        p.Add(Texts(creates, w => w.Seal));
        p.Add(OptionalNumbers(creates, w => ColumnValues.FromTime(w.WakeAt)));
        p.Add(OptionalTexts(creates, w => w.RequiredHost));
        p.Add(Numbers(creates, w => w.LeaseToken));
        return command;
    }

    /// <summary>The statement that updates <paramref name="saves"/> (none of them with the same id and expected version).</summary>
    public static NpgsqlBatchCommand Update(IReadOnlyList<PendingWrite> saves)
    {
        var command = new NpgsqlBatchCommand(Saves);
        var p = command.Parameters;
        p.Add(Texts(saves, w => w.Id.Value));
        p.Add(Numbers(saves, w => w.Expected));
        p.Add(Texts(saves, w => ColumnValues.FromStatus(w.Status)));
        p.Add(Numbers(saves, w => ColumnValues.FromTime(w.UpdatedAt)));
        p.Add(OptionalNumbers(saves, w => ColumnValues.FromTime(w.DueAt)));
        p.Add(Texts(saves, w => w.Document));
        AddEntries(p, saves);
        p.Add(Texts(saves, w => w.Seal));
        p.Add(OptionalNumbers(saves, w => ColumnValues.FromTime(w.WakeAt)));
        p.Add(OptionalTexts(saves, w => w.RequiredHost));
        p.Add(Numbers(saves, w => w.Token));
        p.Add(Numbers(saves, w => w.LeaseToken));
        return command;
    }

    /// <summary>
    /// Reads a statement's outcome per write, in order: applied, and for a refused save the stored version (null: no
    /// such instance) and fencing token.
    /// </summary>
    public static async Task<WriteOutcome[]> ReadOutcomesAsync(NpgsqlDataReader reader, int count)
    {
        var outcomes = new WriteOutcome[count];
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var ord = reader.GetInt64(0);
            outcomes[ord - 1] = new(reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.IsDBNull(3) ? 0 : reader.GetInt64(3));
        }

        return outcomes;
    }

    /// <summary>
    /// The wake-up hint of a batch, sent in its transaction (so delivered on its commit only, when the data is there):
    /// one notification per required host ('' for any host) with the earliest wake time the batch wrote, for every
    /// write that leaves an instance for a worker to pick up (not one a process is running).
    /// </summary>
    public static NpgsqlBatchCommand? Notify(IEnumerable<PendingWrite> writes)
    {
        var payloads = writes
            .Where(w => w.WakeAt is not null && w.Status != Instances.InstanceStatus.Running)
            .GroupBy(w => w.RequiredHost ?? "", StringComparer.Ordinal)
            .Select(g => WakeUps.WakePayload.Format(g.Key, g.Min(w => w.WakeAt!.Value)))
            .ToArray();
        if (payloads.Length == 0)
        {
            return null;
        }

        var command = new NpgsqlBatchCommand($"SELECT pg_notify('{WakeUps.WakePayload.Channel}', p) FROM unnest($1::text[]) AS p");
        command.Parameters.Add(Array(payloads));
        return command;
    }

    private static void AddEntries(NpgsqlParameterCollection p, IReadOnlyList<PendingWrite> writes)
    {
        var count = writes.Sum(w => w.Entries.Count);
        var ord = new long[count];
        var seq = new long[count];
        var at = new long[count];
        var kind = new string[count];
        var actor = new string[count];
        var source = new string[count];
        var step = new string?[count];
        var data = new string?[count];
        var previous = new string[count];
        var mac = new string[count];
        var i = 0;
        for (var w = 0; w < writes.Count; w++)
        {
            foreach (var e in writes[w].Entries)
            {
                (ord[i], seq[i], at[i], kind[i], actor[i], source[i], step[i], data[i], previous[i], mac[i]) =
                    (w + 1, e.Seq, ColumnValues.FromTime(e.At), e.Kind, e.Actor, e.ActorSource, e.Step, e.Data, e.PreviousMac, e.Mac);
                i++;
            }
        }

        p.Add(Array(ord));
        p.Add(Array(seq));
        p.Add(Array(at));
        p.Add(Array(kind));
        p.Add(Array(actor));
        p.Add(Array(source));
        p.Add(Array(step));
        p.Add(Array(data));
        p.Add(Array(previous));
        p.Add(Array(mac));
    }

    private static NpgsqlParameter Texts(IReadOnlyList<PendingWrite> writes, Func<PendingWrite, string> value) =>
        Array(writes.Select(value).ToArray());

    private static NpgsqlParameter Numbers(IReadOnlyList<PendingWrite> writes, Func<PendingWrite, long> value) =>
        Array(writes.Select(value).ToArray());

    private static NpgsqlParameter OptionalTexts(IReadOnlyList<PendingWrite> writes, Func<PendingWrite, string?> value) =>
        Array(writes.Select(value).ToArray());

    private static NpgsqlParameter OptionalNumbers(IReadOnlyList<PendingWrite> writes, Func<PendingWrite, long?> value) =>
        new NpgsqlParameter<long?[]> { TypedValue = writes.Select(value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };

    private static NpgsqlParameter Array(long[] values) =>
        new NpgsqlParameter<long[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };

    private static NpgsqlParameter Array(string?[] values) =>
        new NpgsqlParameter<string?[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}

/// <summary>What became of one write: applied, or refused with the stored version (null: no such instance) and fencing token.</summary>
internal readonly record struct WriteOutcome(bool Applied, long? Stored, long StoredToken);
