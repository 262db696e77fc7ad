using System.Text.RegularExpressions;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Testing;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests.Cli;

/// <summary><c>--store postgres:CONNECTION-STRING</c> in the real CLI: runs reach the database, hints repeat the store without its password.</summary>
public sealed partial class PostgresStoreCliTests : DatabaseTest
{
    private readonly TempDirectory _directory = new();
    private readonly SystemKey _key = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
        _key.Dispose();
    }

    [Fact]
    public async Task A_run_on_postgres_waits_at_its_gate_and_another_process_acts_on_it_with_the_hinted_store()
    {
        var builder = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Pooling = true };
        var password = builder.Password!;
        var store = "postgres:" + builder.ConnectionString;
        var workflow = Path.Combine(Support.Cli.RepositoryRoot, "workflows", "mdiflow-tour.json");

        var run = await Support.Cli.RunAsync(_directory.Path, _key, null, "run", workflow, "--input", $"file={workflow}", "--input", $"approver={Environment.UserName}", "--store", store);

        run.ExitCode.Should().Be(10, run.Stderr + run.Stdout);
        (run.Stdout + run.Stderr).Should().NotContain(password);
        var hint = StoreHint().Match(run.Stdout);
        hint.Success.Should().BeTrue(run.Stdout);
        hint.Groups["store"].Value.Should().Be("postgres:" + new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Password = null }.ConnectionString);
        var id = (await Database.ScalarAsync<string>("SELECT id FROM mdiflow.instances"))!;

        // Another process, another account's view of the same store: the hint plus the password from PGPASSWORD.
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = password };
        var show = await Support.Cli.RunAsync(_directory.Path, _key, environment, "show", id, "--store", hint.Groups["store"].Value);
        var cancel = await Support.Cli.RunAsync(_directory.Path, _key, environment, "cancel", id, "--reason", "rehearsed enough", "--store", hint.Groups["store"].Value);
        var audit = await Support.Cli.RunAsync(_directory.Path, _key, environment, "audit", id, "--verify", "--store", hint.Groups["store"].Value);

        show.ExitCode.Should().Be(0, show.Stderr + show.Stdout);
        show.Stdout.Should().Contain(id).And.Contain("board");
        cancel.ExitCode.Should().Be(0, cancel.Stderr + cancel.Stdout);
        audit.ExitCode.Should().Be(0, audit.Stderr + audit.Stdout);
        (await Database.ScalarAsync<string>("SELECT status FROM mdiflow.instances")).Should().Be("cancelled");
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_exits_3_without_showing_the_password()
    {
        var list = await Support.Cli.RunAsync(_directory.Path, _key, null, "list", "--store", "postgres:Host=127.0.0.1;Port=1;Database=mdiflow;Username=dc01_worker;Password=hunter2-secret");

        list.ExitCode.Should().Be(3, list.Stderr);
        list.Stderr.Should().Contain("The PostgreSQL server for the database 'mdiflow' on 127.0.0.1:1 as 'dc01_worker' refused the connection.").And.NotContain("hunter2");
    }

    [Theory]
    [InlineData("postgres:", "The store 'postgres:' (from --store) needs a connection string")]
    [InlineData("postgres:Host=db01;Password=hunt;er2-secret", "The PostgreSQL connection string is not valid: ")]
    [InlineData("Host=db01;Password=hunt:er2-secret", "'Host=db01;Password=********' (from --store) is not a store. Use --store sqlite:PATH or --store 'postgres:Host=...;Database=...'")]
    public async Task A_store_option_that_is_not_a_store_exits_2_and_repeats_no_secret(string option, string message)
    {
        var list = await Support.Cli.RunAsync(_directory.Path, _key, null, "list", "--store", option);

        list.ExitCode.Should().Be(2, list.Stderr);
        list.Stderr.Should().Contain(message).And.NotContain("er2-secret");
    }

    [GeneratedRegex("--store \"(?<store>postgres:[^\"]*)\"")]
    private static partial Regex StoreHint();
}
