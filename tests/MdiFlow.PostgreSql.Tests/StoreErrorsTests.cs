using System.Net;
using System.Net.Sockets;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests;

/// <summary>What an operator reads when the store cannot be used, from a real server: what is wrong, where, what to do, and never the password.</summary>
public sealed class StoreErrorsTests : DatabaseTest
{
    private const string Password = "s3cret-Pa55word";

    [Fact]
    public async Task A_server_that_refuses_connections_is_named_with_what_to_check()
    {
        var port = ClosedPort();
        var store = Open($"Host=127.0.0.1;Port={port};Database=mdiflow;Username=dc01_worker;Password={Password}");

        var error = await RefusalOf(store);

        error.Message.Should().Be($"The PostgreSQL server for the database 'mdiflow' on 127.0.0.1:{port} as 'dc01_worker' refused the connection. Check that it runs and listens on that host and port (listen_addresses, port, a firewall between), then try again.");
    }

    [Fact]
    public async Task A_wrong_password_says_whose_sign_in_was_refused_and_never_shows_the_password()
    {
        var login = await Database.CreateLoginAsync("worker", "mdiflow_app");
        var store = Open(TestDatabase.Server.ConnectionString(Database.Name, login.Username, Password));

        var error = await RefusalOf(store);

        error.Message.Should().Be(
            $"The PostgreSQL server {TestDatabase.Server.Host}:{TestDatabase.Server.Port} refused the sign-in of '{login.Username}' to the database '{Database.Name}' (password authentication failed for user \"{login.Username}\"). Check Username= and the password (Password= in the connection string, PGPASSWORD or a pgpass file), and that pg_hba.conf lets this account in from this host.");
    }

    [Fact]
    public async Task A_missing_password_is_a_refused_sign_in_too()
    {
        var login = await Database.CreateLoginAsync("worker", "mdiflow_app");
        var store = Open(new NpgsqlConnectionStringBuilder(TestDatabase.Server.ConnectionString(Database.Name, login.Username, "x")) { Password = null }.ConnectionString);

        var error = await RefusalOf(store);

        error.Message.Should().StartWith($"The PostgreSQL server {TestDatabase.Server.Host}:{TestDatabase.Server.Port} refused the sign-in of '{login.Username}' to the database '{Database.Name}' (");
    }

    [Fact]
    public async Task A_missing_database_says_how_to_create_it()
    {
        var store = Open(TestDatabase.Server.ConnectionString("rollout_missing", "postgres", Password));

        var error = await RefusalOf(store);

        error.Message.Should().Match($"The PostgreSQL server {TestDatabase.Server.Host}:{TestDatabase.Server.Port} refused the sign-in of 'postgres'*");
        var admin = Open(TestDatabase.Server.AdminConnectionString("rollout_missing"));
        (await RefusalOf(admin)).Message.Should().Be(
            $"The database 'rollout_missing' does not exist on the PostgreSQL server {TestDatabase.Server.Host}:{TestDatabase.Server.Port}. Create it (CREATE DATABASE rollout_missing OWNER mdiflow_owner;) or correct Database= in the connection string; docs/postgresql.md shows the set-up.");
    }

    [Fact]
    public async Task A_login_without_the_application_role_is_told_which_role_to_grant()
    {
        await Open().OpenAsync();
        var outsider = await Database.CreateLoginAsync("outsider");
        var store = Open(outsider.ConnectionString);

        var error = await RefusalOf(store);

        error.Message.Should().Be(
            $"The PostgreSQL server refused an operation of the MdiFlow store in the database '{Database.Name}' on {TestDatabase.Server.Host}:{TestDatabase.Server.Port} as '{outsider.Username}' (permission denied for schema mdiflow). Grant '{outsider.Username}' the store's application role 'mdiflow_app' (GRANT mdiflow_app TO {outsider.Username};); docs/postgresql.md shows the set-up.");
    }

    [Fact]
    public async Task A_save_held_up_past_the_command_timeout_fails_and_says_its_outcome_is_not_known()
    {
        var store = Open(configure: o => o.CommandTimeout = TimeSpan.FromSeconds(1));
        var (created, _) = await CreateAsync(store);
        var loaded = (await store.FindAsync(created.Id))!;
        await using var holder = await Database.OpenAsync();
        await using (var lockRow = new NpgsqlCommand($"BEGIN; SELECT 1 FROM mdiflow.instances WHERE id = '{created.Id}' FOR UPDATE", holder))
        {
            await lockRow.ExecuteNonQueryAsync();
        }

        var save = async () => await store.SaveAsync(loaded, [TestInstances.Append(loaded, Time, JournalKinds.InstanceResumed)]);

        (await save.Should().ThrowAsync<StoreException>()).WithMessage(
            $"The PostgreSQL server of the database '{Database.Name}' * did not answer within 1 s while a save was being committed, so it is not known whether the save was stored. Check the server's load and locks (pg_stat_activity), and read the instance again (mdiflow show ID) before acting on it.");
        await using (var release = new NpgsqlCommand("ROLLBACK", holder))
        {
            await release.ExecuteNonQueryAsync();
        }

        (await store.FindAsync(created.Id))!.Version.Should().Be(1, "the store goes on after the timeout; this save was not stored");
        await store.SaveAsync(loaded, [TestInstances.Append(loaded, Time, JournalKinds.InstanceResumed)]);
        (await store.ReadJournalAsync(created.Id)).Should().HaveCount(2);
    }

    private static async Task<StoreException> RefusalOf(PostgreSqlWorkflowStore store)
    {
        var act = async () => await store.ListAsync(new InstanceQuery());
        var error = (await act.Should().ThrowAsync<StoreException>()).Which;
        error.ToString().Should().NotContain(Password);
        return error;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
