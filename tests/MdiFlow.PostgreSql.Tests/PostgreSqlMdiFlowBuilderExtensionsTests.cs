using MdiFlow.Hosting;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.PostgreSql.Tests;

public sealed class PostgreSqlMdiFlowBuilderExtensionsTests : DatabaseTest
{
    [Fact]
    public void UsePostgreSql_with_a_connection_string_keys_the_journal_with_the_hosts_key()
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow.UsePostgreSql("Host=db01;Database=rollout;Username=dc01_worker"));

        using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IWorkflowStore>().Should().BeOfType<PostgreSqlWorkflowStore>().Which;
        store.Keys.Path.Should().Be(JournalKeyProvider.SystemPath);
        provider.GetRequiredService<JournalKeyProvider>().Should().BeSameAs(store.Keys);
    }

    [Fact]
    public async Task UsePostgreSql_registers_one_store_on_that_database_with_the_key_file_it_names()
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow.UsePostgreSql(o =>
        {
            o.ConnectionString = Database.ConnectionString;
            o.KeyFile = Database.KeyFile;
        }));

        await using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IWorkflowStore>();
            store.Should().BeOfType<PostgreSqlWorkflowStore>().Which.Description.Should().StartWith($"database '{Database.Name}' on ");
            provider.GetRequiredService<IWorkflowStore>().Should().BeSameAs(store);
            provider.GetRequiredService<JournalKeyProvider>().Path.Should().Be(Database.KeyFile);
            (await store.ListAsync(new InstanceQuery())).Should().BeEmpty();
        }

        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.store_info")).Should().Be(1);
        (await Database.ScalarAsync<string>("SELECT journal_key FROM mdiflow.store_info")).Should().Be(JournalKey.Load(Database.KeyFile).Id);
    }

    [Fact]
    public void UsePostgreSql_with_options_passes_them_to_the_store()
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow.UsePostgreSql(o =>
        {
            o.ConnectionString = "Host=db01;Database=rollout;Username=dc01_worker;Password=hunter2";
            o.ApplicationRole = "rollout_app";
        }));

        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IWorkflowStore>().Should().BeOfType<PostgreSqlWorkflowStore>()
            .Which.Description.Should().Be("database 'rollout' on db01:5432 as 'dc01_worker'");
    }

    [Fact]
    public void UsePostgreSql_refuses_invalid_options_when_it_is_called()
    {
        var services = new ServiceCollection();

        var noConnection = () => services.AddMdiFlow(flow => flow.UsePostgreSql(o => o.OwnerRole = "mdiflow_owner"));
        var malformed = () => services.AddMdiFlow(flow => flow.UsePostgreSql("Host=db01;Password=hunt;er2"));

        noConnection.Should().Throw<ArgumentException>().WithMessage("The PostgreSQL store needs a connection string*");
        malformed.Should().Throw<ArgumentException>().WithMessage("The PostgreSQL connection string is not valid*").Which.Message.Should().NotContain("er2");
    }
}
