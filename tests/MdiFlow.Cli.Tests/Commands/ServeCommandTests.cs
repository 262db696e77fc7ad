using MdiFlow.Cli.Commands;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Tests.Support;
using MdiFlow.Policy;
using MdiFlow.Sqlite;
using MdiFlow.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Cli.Tests.Commands;

/// <summary>
/// The services <c>mdiflow serve</c> decides through are every command's (<see cref="CliSession.AddServices"/>): the store
/// is the one the CLI's store selection names. The page itself, in a browser, is in MdiFlow.Web.Tests.
/// </summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Serve_opens_the_store_named_by_store_or_by_the_configuration_file()
    {
        var flagged = _ws.PathOf("flagged.db");
        var configured = _ws.PathOf("configured.db");
        var config = _ws.Write("mdiflow.json", $$"""{ "store": "sqlite:{{configured.Replace("\\", "\\\\", StringComparison.Ordinal)}}" }""");

        await using var byFlag = Services("serve", "--store", "sqlite:" + flagged, "--config", config);
        await using var byConfiguration = Services("serve", "--config", config);

        byFlag.GetRequiredService<IWorkflowStore>().Should().BeOfType<SqliteWorkflowStore>().Which.Path.Should().Be(flagged);
        byConfiguration.GetRequiredService<IWorkflowStore>().Should().BeOfType<SqliteWorkflowStore>().Which.Path.Should().Be(configured);
    }

    [Fact]
    public void Serve_uses_a_postgres_store_as_every_command_does()
    {
        using var services = Services("serve", "--store", "postgres:Host=db;Database=mdiflow;Username=dc01_worker");

        services.GetRequiredService<MdiFlow.Storage.IWorkflowStore>().Should().BeOfType<MdiFlow.PostgreSql.PostgreSqlWorkflowStore>()
            .Which.Description.Should().Be("database 'mdiflow' on db:5432 as 'dc01_worker'");
    }

    private static ServiceProvider Services(params string[] args)
    {
        var globals = CliGlobals.From(CliApplication.BuildRoot().Parse(args));
        var services = new ServiceCollection();
        ServeCommand.AddServices(services, globals, OrganisationPolicy.Default);
        return services.BuildServiceProvider();
    }

    public void Dispose() => _ws.Dispose();
}
