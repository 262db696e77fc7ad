using MdiFlow.PostgreSql.Schema;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests.Schema;

public sealed class SchemaMigratorTests : DatabaseTest
{
    [Fact]
    public async Task Concurrent_first_opens_of_one_database_migrate_it_exactly_once()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => Open()).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var opens = stores.Select(s => Task.Run(async () =>
        {
            await start.Task;
            await s.OpenAsync();
        })).ToList();
        start.SetResult();
        await Task.WhenAll(opens);

        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.schema_history")).Should().Be(StoreSchema.Migrations.Count);
        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.store_info")).Should().Be(1);
    }

    [Fact]
    public async Task An_up_to_date_store_is_opened_without_a_write()
    {
        await Open().OpenAsync();
        const string Versions = "SELECT (SELECT xmin::text FROM mdiflow.store_info) || '/' || (SELECT string_agg(xmin::text, ',' ORDER BY version) FROM mdiflow.schema_history)";
        var before = await Database.ScalarAsync<string>(Versions);

        await Open().OpenAsync();

        (await Database.ScalarAsync<string>(Versions)).Should().Be(before, "the row versions of the store's marker and history stay those the migration wrote");
    }

    [Fact]
    public async Task Missing_roles_are_created_when_the_account_may_create_roles()
    {
        var suffix = Guid.NewGuid().ToString("n")[..8];
        Database.DropAfterwards("t_app_" + suffix);
        Database.DropAfterwards("t_owner_" + suffix);
        var store = Open(configure: o =>
        {
            o.OwnerRole = "t_owner_" + suffix;
            o.ApplicationRole = "t_app_" + suffix;
        });

        await store.OpenAsync();

        (await Database.ScalarAsync<long>($"SELECT count(*) FROM pg_roles WHERE rolname IN ('t_owner_{suffix}', 't_app_{suffix}') AND NOT rolcanlogin")).Should().Be(2);
        (await Database.ScalarAsync<string>("SELECT owner_role || ' ' || application_role FROM mdiflow.store_info")).Should().Be($"t_owner_{suffix} t_app_{suffix}");
        (await Database.ScalarAsync<bool>($"SELECT has_table_privilege('t_app_{suffix}', 'mdiflow.journal', 'INSERT') AND NOT has_table_privilege('t_app_{suffix}', 'mdiflow.journal', 'UPDATE')")).Should().BeTrue();
    }

    [Fact]
    public async Task A_member_of_the_owner_role_creates_the_store_in_a_database_the_owner_role_owns()
    {
        await Open().OpenAsync(); // the roles exist from here on (as on a server an administrator set up)
        await Database.ExecuteAsync("DROP SCHEMA mdiflow CASCADE");
        await Database.ExecuteAsync($"ALTER DATABASE \"{Database.Name}\" OWNER TO mdiflow_owner");
        var migrator = await Database.CreateLoginAsync("migrator", "mdiflow_owner");

        await Open(migrator.ConnectionString).OpenAsync();

        (await Database.ScalarAsync<string>("SELECT applied_by FROM mdiflow.schema_history WHERE version = 1")).Should().Be(migrator.Username);
        (await Database.ScalarAsync<string>("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'mdiflow.journal'::regclass")).Should().Be("mdiflow_owner");
    }

    [Fact]
    public async Task The_application_role_may_not_create_a_store_and_changes_nothing()
    {
        await Open().OpenAsync();
        await Database.ExecuteAsync("DROP SCHEMA mdiflow CASCADE");
        var app = await Database.CreateLoginAsync("app", "mdiflow_app");

        var open = async () => await Open(app.ConnectionString).OpenAsync();

        (await open.Should().ThrowAsync<StoreException>()).WithMessage(
            $"The database '{Database.Name}' on *:* as '{app.Username}' has no MdiFlow store yet, and this account may not create one: '{app.Username}' is not a member of the owner role 'mdiflow_owner'. Run mdiflow once with the connection string of an account that may (a member of the owner role, or an administrator), or have an administrator set the database up; docs/postgresql.md shows the set-up.");
        (await Database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'mdiflow'")).Should().Be(0);
    }

    [Fact]
    public async Task An_account_that_may_not_create_roles_is_told_which_are_missing()
    {
        var login = await Database.CreateLoginAsync("plain");
        var store = Open(login.ConnectionString, o =>
        {
            o.OwnerRole = "t_absent_owner";
            o.ApplicationRole = "t_absent_app";
        });

        var open = async () => await store.OpenAsync();

        (await open.Should().ThrowAsync<StoreException>()).WithMessage(
            $"* has no MdiFlow store yet, and this account may not create one: the roles 't_absent_owner' and 't_absent_app' do not exist and '{login.Username}' may not create roles. *");
    }

    /// <summary>The released schema and one more version, as the next release would ship it.</summary>
    private static readonly IReadOnlyList<Migration> NextRelease =
    [
        .. StoreSchema.Migrations,
        new(StoreSchema.CurrentVersion + 1, "a note on each instance", """
            ALTER TABLE mdiflow.instances ADD COLUMN note text NULL;
            GRANT UPDATE (note) ON mdiflow.instances TO {app};
            """),
    ];

    [Fact]
    public async Task A_store_of_an_older_schema_is_migrated_forward_keeping_its_instances()
    {
        var store = Open();
        await CreateAsync(store);
        await CreateAsync(store);

        await MigrateAsync(NextRelease);

        (await Database.ScalarAsync<int>("SELECT schema_version FROM mdiflow.store_info")).Should().Be(StoreSchema.CurrentVersion + 1);
        (await Database.ScalarAsync<string>("SELECT string_agg(version::text, ',' ORDER BY version) FROM mdiflow.schema_history"))
            .Should().Be(string.Join(',', NextRelease.Select(m => m.Version)));
        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.instances WHERE note IS NULL")).Should().Be(2);
        (await Database.ScalarAsync<bool>("SELECT has_column_privilege('mdiflow_app', 'mdiflow.instances', 'note', 'UPDATE')")).Should().BeTrue();
        var reopen = async () => await Open().OpenAsync();
        (await reopen.Should().ThrowAsync<StoreException>()).WithMessage("* holds an MdiFlow store written by a newer MdiFlow*", "this build reads only its own schema");
    }

    [Fact]
    public async Task A_migration_that_fails_halfway_changes_nothing()
    {
        await Open().OpenAsync();
        IReadOnlyList<Migration> broken =
        [
            .. StoreSchema.Migrations,
            new(StoreSchema.CurrentVersion + 1, "a note, then a mistake", "ALTER TABLE mdiflow.instances ADD COLUMN note text; ALTER TABLE mdiflow.no_such_table ADD COLUMN x int;"),
        ];

        var migrate = async () => await MigrateAsync(broken);

        (await migrate.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.UndefinedTable);
        (await Database.ScalarAsync<int>("SELECT schema_version FROM mdiflow.store_info")).Should().Be(StoreSchema.CurrentVersion);
        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.schema_history")).Should().Be(StoreSchema.Migrations.Count);
        (await Database.ScalarAsync<long>("SELECT count(*) FROM pg_attribute WHERE attrelid = 'mdiflow.instances'::regclass AND attname = 'note'")).Should().Be(0);
    }

    [Fact]
    public async Task Concurrent_migrators_of_an_older_store_migrate_it_once()
    {
        await Open().OpenAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var migrators = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            await MigrateAsync(NextRelease);
        })).ToList();
        start.SetResult();
        await Task.WhenAll(migrators);

        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.schema_history")).Should().Be(NextRelease.Count);
    }

    [Fact]
    public async Task The_application_role_may_not_migrate_an_older_store_and_is_told_who_may()
    {
        await Open().OpenAsync();
        var app = await Database.CreateLoginAsync("app", "mdiflow_app");

        var migrate = async () => await MigrateAsync(NextRelease, app.ConnectionString);

        (await migrate.Should().ThrowAsync<StoreException>()).WithMessage(
            $"The database '{Database.Name}' on *:* as '{app.Username}' holds an MdiFlow store of schema {StoreSchema.CurrentVersion}, which this version moves to schema {StoreSchema.CurrentVersion + 1}, and this account may not change it: '{app.Username}' is not a member of the owner role 'mdiflow_owner'. Run mdiflow once with the connection string of a member of the owner role; docs/postgresql.md shows the set-up. Nothing was changed.");
        (await Database.ScalarAsync<int>("SELECT schema_version FROM mdiflow.store_info")).Should().Be(StoreSchema.CurrentVersion);
    }

    private async Task MigrateAsync(IReadOnlyList<Migration> migrations, string? connectionString = null)
    {
        var settings = new StoreSettings(Database.Options(connectionString));
        await using var connection = await Database.OpenAsync(connectionString);
        await SchemaMigrator.MigrateAsync(connection, settings, migrations, CancellationToken.None);
    }
}
