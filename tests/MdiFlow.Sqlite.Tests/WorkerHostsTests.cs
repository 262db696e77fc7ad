using MdiFlow.Hosting;
using MdiFlow.Storage;
using MdiFlow.Testing;
using MdiFlow.Testing.Storage;
using MdiFlow.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Sqlite.Tests;

/// <summary>A SQLite store serves the workers of one host: a worker of a second host is refused, pointed to PostgreSQL.</summary>
public sealed class WorkerHostsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string StorePath => _directory.Combine("mdiflow.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_worker_of_a_second_host_is_refused_with_a_message_pointing_to_postgresql_while_the_first_hosts_worker_is_seen()
    {
        var t0 = TestInstances.Start;
        using var dc01 = new SqliteWorkflowStore(StorePath);
        using var dc02 = new SqliteWorkflowStore(StorePath); // another host's view of the same file
        await dc01.AdmitWorkerAsync("DC01", t0);

        var refused = () => dc02.AdmitWorkerAsync("DC02", t0.AddSeconds(30)).AsTask();

        (await refused.Should().ThrowAsync<StoreException>()).Which.Message.Should().Be(
            $"The store '{StorePath}' is used by the worker of another host, DC01 (last seen 2025-06-02 09:15:30Z), so this worker of DC02 was refused. A SQLite store serves the workers of one host: its file locks do not hold across hosts, and a step that must run on one host needs a store every host reaches. Share one store between hosts with PostgreSQL: --store 'postgres:Host=...;Database=...' (see docs/postgresql.md). If DC01's worker is gone for good (the file was moved, or the worker renamed), this host is admitted 2 minutes after it was last seen.");
        await dc02.AdmitWorkerAsync("dc01", t0.AddSeconds(30)); // the same host, whatever the case of its name
        await FluentActions.Awaiting(() => dc02.AdmitWorkerAsync("DC02", t0.AddSeconds(30) + TimeSpan.FromMinutes(2)).AsTask())
            .Should().ThrowAsync<StoreException>("DC01 was seen again at 30 s");
        await dc02.AdmitWorkerAsync("DC02", t0.AddSeconds(30) + TimeSpan.FromMinutes(2) + TimeSpan.FromTicks(1));
        await FluentActions.Awaiting(() => dc01.AdmitWorkerAsync("DC01", t0.AddMinutes(3)).AsTask())
            .Should().ThrowAsync<StoreException>("now DC02's worker uses it");
    }

    [Fact]
    public async Task The_library_worker_of_a_second_host_makes_no_pass_on_a_sqlite_store()
    {
        var time = new FakeTimeProvider(TestInstances.Start);
        await using var first = Worker("DC01", time);
        await using var second = Worker("DC02", time);

        await first.GetRequiredService<WorkflowWorker>().RunPassAsync();
        time.Advance(TimeSpan.FromSeconds(5));
        var pass = () => second.GetRequiredService<WorkflowWorker>().RunPassAsync();

        (await pass.Should().ThrowAsync<StoreException>()).Which.Message.Should().Contain("so this worker of DC02 was refused").And.Contain("PostgreSQL");
        time.Advance(TimeSpan.FromSeconds(5));
        (await first.GetRequiredService<WorkflowWorker>().RunPassAsync()).Outcomes.Should().BeEmpty("the first host's worker goes on");
    }

    private ServiceProvider Worker(string host, TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddMdiFlow(flow => flow.UseSqlite(StorePath).Configure(o => o.HostName = host));
        services.AddMdiFlowWorker(o => o.HostName = host);
        return services.BuildServiceProvider();
    }
}
