using MdiFlow.Hosting;
using MdiFlow.Storage;
using MdiFlow.Testing;
using Microsoft.Extensions.DependencyInjection;

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
    public void UseSqlite_refuses_invalid_options_when_it_is_called()
    {
        var services = new ServiceCollection();

        var noPath = () => services.AddMdiFlow(flow => flow.UseSqlite(o => o.BusyTimeout = TimeSpan.FromSeconds(1)));
        var noTimeout = () => services.AddMdiFlow(flow => flow.UseSqlite(o =>
        {
            o.Path = "mdiflow.db";
            o.BusyTimeout = TimeSpan.Zero;
        }));

        noPath.Should().Throw<ArgumentException>().WithMessage("The SQLite store needs a file path*");
        noTimeout.Should().Throw<ArgumentException>().WithMessage("SqliteStoreOptions.BusyTimeout must be positive*");
    }
}
