using MdiFlow.Hosting;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.PostgreSql.Tests;

public sealed class PostgreSqlMdiFlowBuilderExtensionsTests : DatabaseTest
{
    [Fact]
    public async Task UsePostgreSql_with_a_connection_string_registers_one_store_on_that_database()
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow.UsePostgreSql(Database.ConnectionString));

        await using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IWorkflowStore>();
            store.Should().BeOfType<PostgreSqlWorkflowStore>().Which.Description.Should().StartWith($"database '{Database.Name}' on ");
            provider.GetRequiredService<IWorkflowStore>().Should().BeSameAs(store);
            (await store.ListAsync(new InstanceQuery())).Should().BeEmpty();
        }

        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.store_info")).Should().Be(1);
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
