using MdiFlow.PostgreSql.Schema;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;

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
}
