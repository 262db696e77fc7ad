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
    public void Serve_refuses_a_store_kind_this_build_does_not_have_as_every_command_does()
    {
        FluentActions.Invoking(() => Services("serve", "--store", "postgres:Host=db;Database=mdiflow")).Should().Throw<UsageException>()
            .WithMessage("The PostgreSQL store is not part of this build yet. Use --store sqlite:PATH.");
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
