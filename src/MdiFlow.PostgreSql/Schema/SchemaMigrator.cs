using System.Globalization;
using Npgsql;
using MdiFlow.Storage;

namespace MdiFlow.PostgreSql.Schema;

/// <summary>
/// Brings a store's schema up to <see cref="StoreSchema.CurrentVersion"/> in one transaction, under an advisory lock
/// that makes concurrent migrators of one database wait for each other. An up-to-date store is not written at all.
/// </summary>
/// <remarks>
/// The account that migrates must be a superuser, or a member of the owner role (with CREATE on the database for a
/// new store). The objects are created as the owner role (<c>SET LOCAL ROLE</c>), never as the account itself, so
/// the application role's privileges are exactly those the migrations grant. Missing roles are created when the
/// account may create roles.
/// </remarks>
internal static class SchemaMigrator
{
    private const string RightsSql = """
        SELECT r.rolsuper,
               r.rolcreaterole,
               has_database_privilege(current_database(), 'CREATE'),
               EXISTS (SELECT FROM pg_roles WHERE rolname = $1),
               EXISTS (SELECT FROM pg_roles WHERE rolname = $2),
               COALESCE(pg_has_role(current_user, (SELECT oid FROM pg_roles WHERE rolname = $1), 'MEMBER'), false)
        FROM pg_roles r
        WHERE r.rolname = current_user
        """;

    /// <summary>
    /// Checks the database and migrates it if it needs it; throws a <see cref="StoreException"/> to refuse it.
    /// </summary>
    /// <returns>The fingerprint of the store's journal key, as the database records it.</returns>
    public static Task<string?> MigrateAsync(NpgsqlConnection connection, StoreSettings settings, CancellationToken cancellationToken) =>
        MigrateAsync(connection, settings, StoreSchema.Migrations, cancellationToken);

    /// <summary>
    /// Checks a store opened for reading only: it must exist and be of schema <see cref="StoreSchema.CurrentVersion"/>,
    /// as nothing may be created or migrated.
    /// </summary>
    /// <returns>The fingerprint of the store's journal key, as the database records it.</returns>
    public static async Task<string?> CheckAsync(NpgsqlConnection connection, StoreSettings settings, CancellationToken cancellationToken)
    {
        var current = StoreSchema.CurrentVersion;
        var facts = await StoreIdentity.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        StoreIdentity.Judge(facts, settings, current);
        return facts.IsBlank ? throw StoreErrors.Missing(settings)
            : facts.SchemaVersion < current ? throw StoreErrors.Older(settings, facts.SchemaVersion, current)
            : facts.JournalKey;
    }

    /// <summary>Migrates with <paramref name="migrations"/> (the schema's, or a test's that goes beyond it).</summary>
    internal static async Task<string?> MigrateAsync(NpgsqlConnection connection, StoreSettings settings, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        var current = migrations[^1].Version;
        var facts = await StoreIdentity.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        StoreIdentity.Judge(facts, settings, current);
        if (facts.IsCurrent(current))
        {
            return facts.JournalKey;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({StoreSchema.LockKey}, 1)"), cancellationToken).ConfigureAwait(false);

        // Judge again under the lock: another migrator may have created or moved the store meanwhile.
        facts = await StoreIdentity.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        StoreIdentity.Judge(facts, settings, current);
        if (facts.IsCurrent(current))
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return facts.JournalKey;
        }

        // The key that keys what the migration writes; on a new store it is created now (unless it exists) and
        // becomes the store's key, which every other host must then share.
        var key = settings.Keys.Get();
        if (facts.JournalKey is { } recorded && recorded != key.Id)
        {
            throw StoreErrors.OtherKey(settings, key, recorded);
        }

        var roles = facts.Roles ?? settings.Roles;
        try
        {
            await PrepareRolesAsync(connection, settings, facts, current, roles, cancellationToken).ConfigureAwait(false);
            if (facts.IsBlank)
            {
                await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {StoreSchema.Name} AUTHORIZATION {roles.QuotedOwner}", cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, $"SET LOCAL ROLE {roles.QuotedOwner}", cancellationToken).ConfigureAwait(false);
            foreach (var migration in migrations.Where(m => m.Version > facts.SchemaVersion))
            {
                await ExecuteAsync(connection, migration.For(roles), cancellationToken).ConfigureAwait(false);
                if (migration.Code is { } code)
                {
                    await code(connection, settings, key, cancellationToken).ConfigureAwait(false);
                }

                await using var history = new NpgsqlCommand("INSERT INTO mdiflow.schema_history (version, description) VALUES ($1, $2)", connection);
                history.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
                history.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Description });
                await history.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await MarkAsync(connection, facts.IsBlank, current, roles, key.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw Refused(settings, facts, current, ex.MessageText, ex);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return current >= KeyedJournalMigration.Schema ? key.Id : null;
    }

    /// <summary>
    /// Records the schema version and the journal key's fingerprint (from schema 2): a new store gets its row in
    /// <c>mdiflow.store_info</c>, with its roles.
    /// </summary>
    private static async Task MarkAsync(NpgsqlConnection connection, bool created, int version, StoreRoles roles, string keyId, CancellationToken cancellationToken)
    {
        var keyed = version >= KeyedJournalMigration.Schema;
        var sql = (created, keyed) switch
        {
            (true, true) => "INSERT INTO mdiflow.store_info (application, schema_version, owner_role, application_role, journal_key) VALUES ($1, $2, $3, $4, $5)",
            (true, false) => "INSERT INTO mdiflow.store_info (application, schema_version, owner_role, application_role) VALUES ($1, $2, $3, $4)",
            (false, true) => "UPDATE mdiflow.store_info SET schema_version = $2, journal_key = COALESCE(journal_key, $3) WHERE application = $1",
            (false, false) => "UPDATE mdiflow.store_info SET schema_version = $2 WHERE application = $1",
        };
        await using var mark = new NpgsqlCommand(sql, connection);
        mark.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StoreSchema.Application });
        mark.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
        if (created)
        {
            mark.Parameters.Add(new NpgsqlParameter<string> { TypedValue = roles.Owner });
            mark.Parameters.Add(new NpgsqlParameter<string> { TypedValue = roles.Application });
        }

        if (keyed)
        {
            mark.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        }

        await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the roles that are missing and makes the account a member of the owner role, or says why it cannot.</summary>
    private static async Task PrepareRolesAsync(NpgsqlConnection connection, StoreSettings settings, StoreFacts facts, int current, StoreRoles roles, CancellationToken cancellationToken)
    {
        bool superuser, createRole, createInDatabase, ownerExists, applicationExists, member;
        await using (var command = new NpgsqlCommand(RightsSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = roles.Owner });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = roles.Application });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            (superuser, createRole, createInDatabase, ownerExists, applicationExists, member) =
                (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4), reader.GetBoolean(5));
        }

        var user = settings.Address.Username;
        var missing = new[] { (roles.Owner, ownerExists), (roles.Application, applicationExists) }.Where(r => !r.Item2).Select(r => $"'{r.Item1}'").ToList();
        if (missing.Count > 0 && !superuser && !createRole)
        {
            throw Refused(settings, facts, current, $"the role{(missing.Count > 1 ? "s" : "")} {string.Join(" and ", missing)} do{(missing.Count > 1 ? "" : "es")} not exist and '{user}' may not create roles");
        }

        if (!superuser && !member && !createRole)
        {
            throw Refused(settings, facts, current, $"'{user}' is not a member of the owner role '{roles.Owner}'");
        }

        if (facts.IsBlank && !superuser && !createInDatabase)
        {
            throw Refused(settings, facts, current, $"'{user}' may not create a schema in the database '{settings.Address.Database}' (it needs CREATE on it, for example as the database's owner '{roles.Owner}')");
        }

        // Roles belong to the whole server: a migrator of another database may be creating them at this moment.
        await ExecuteAsync(connection, $"""
            DO $roles$
            BEGIN
                {CreateRole(roles.Owner, roles.QuotedOwner)}
                {CreateRole(roles.Application, roles.QuotedApplication)}
            END
            $roles$
            """, cancellationToken).ConfigureAwait(false);
        if (!superuser && !member)
        {
            await ExecuteAsync(connection, $"GRANT {roles.QuotedOwner} TO CURRENT_USER", cancellationToken).ConfigureAwait(false);
        }
    }

    private static string CreateRole(string name, string quoted) => $"""
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name.Replace("'", "''", StringComparison.Ordinal)}') THEN
                    BEGIN
                        CREATE ROLE {quoted} NOLOGIN;
                    EXCEPTION WHEN duplicate_object OR unique_violation THEN
                        NULL;
                    END;
                END IF;
        """;

    private static StoreException Refused(StoreSettings settings, StoreFacts facts, int current, string reason, Exception? inner = null)
    {
        var refused = facts.IsBlank
            ? StoreErrors.MayNotCreate(settings, reason)
            : StoreErrors.MayNotMigrate(settings, facts.SchemaVersion, current, reason);
        return inner is null ? refused : new StoreException(refused.Message, inner);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
