using MdiFlow.Hosting;
using MdiFlow.Storage;
using MdiFlow.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MdiFlow.Sqlite.Tests;

public sealed class SqliteMdiFlowBuilderExtensionsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task UseSqlite_with_a_path_registers_one_SqliteWorkflowStore_on_that_file()
    {
        var path = _directory.Combine("mdiflow.db");
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow.UseSqlite(path));

        await using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IWorkflowStore>();
            store.Should().BeOfType<SqliteWorkflowStore>().Which.Path.Should().Be(path);
            provider.GetRequiredService<IWorkflowStore>().Should().BeSameAs(store);
            (await store.ListAsync(new InstanceQuery())).Should().BeEmpty();
        }

        File.Exists(path).Should().BeTrue();
    }

    [Fact]
    public void UseSqlite_with_options_passes_them_to_the_store()
    {
        var path = _directory.Combine("tuned.db");
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow.UseSqlite(o =>
        {
            o.Path = path;
            o.Synchronous = SqliteSynchronous.Normal;
            o.BusyTimeout = TimeSpan.FromSeconds(30);
        }));

        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IWorkflowStore>().Should().BeOfType<SqliteWorkflowStore>().Which.Path.Should().Be(path);
    }

    [Fact]
    public void Invalid_options_are_refused_at_start_with_every_mistake_at_once()
    {
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow.UseSqlite(o =>
        {
            o.BusyTimeout = TimeSpan.Zero;
            o.KeyFile = " ";
        }));
        using var provider = services.BuildServiceProvider();

        var start = () => provider.GetRequiredService<IStartupValidator>().Validate();
        var resolve = () => provider.GetRequiredService<IWorkflowStore>();

        start.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(
            "The SQLite store needs a file path: set SqliteStoreOptions.Path.",
            "SqliteStoreOptions.BusyTimeout must be positive and at most 24.20:31:23.6470000; it is 00:00:00.",
            "SqliteStoreOptions.KeyFile is empty; leave it unset for the default key, or give the key file's path.");
        resolve.Should().Throw<OptionsValidationException>("a provider that is not a host checks them when the store is first needed");
    }
}
