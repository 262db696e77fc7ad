using System.Collections.Concurrent;
using System.Threading.Channels;
using MdiFlow.Hosting;
using MdiFlow.Testing;
using MdiFlow.Testing.Storage;
using MdiFlow.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Sqlite.Tests.Workers;

/// <summary>The hosted worker on a SQLite store that cannot be opened for a while: a real failure, not a stand-in.</summary>
public sealed class WorkerStoreOutageTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_store_that_cannot_be_opened_is_logged_and_tried_again_with_a_growing_wait_until_it_can()
    {
        var folder = _directory.Combine("not-yet");
        var clock = new TimerClock(TestInstances.Start);
        var logs = new Logs();
        var passes = Channel.CreateUnbounded<WorkerPass>();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<IWorkerObserver>(new Observer(passes.Writer));
        builder.Services.AddMdiFlow(flow => flow.UseSqlite(Path.Combine(folder, "mdiflow.db")));
        builder.Services.AddMdiFlowWorker(o => o.PollInterval = TimeSpan.FromSeconds(5));
        using var host = builder.Build();

        await host.StartAsync();
        await clock.TimerSetAsync(TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(5));
        await clock.TimerSetAsync(TimeSpan.FromSeconds(10));
        Directory.CreateDirectory(folder);
        clock.Advance(TimeSpan.FromSeconds(10));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var pass = await passes.Reader.ReadAsync(limit.Token);
        await host.StopAsync();

        pass.Outcomes.Should().BeEmpty();
        var failures = logs.Entries.Where(e => e.Id == 2003).ToList();
        failures.Select(e => e.Message).Should().Equal(
            "Worker pass 1 in a row failed; the next one is in 00:00:05.",
            "Worker pass 2 in a row failed; the next one is in 00:00:10.");
        failures.Should().OnlyContain(e => e.Level == LogLevel.Error && e.Exception is Storage.StoreException);
        File.Exists(Path.Combine(folder, "mdiflow.db")).Should().BeTrue("the worker opened the store once its folder existed");
        logs.Entries.Should().Contain(e => e.Id == 2001, "the worker stopped only because the host did");
    }

    private sealed class Observer(ChannelWriter<WorkerPass> passes) : IWorkerObserver
    {
        public void PassCompleted(WorkerPass pass) => passes.TryWrite(pass);
    }

    /// <summary>Every log entry with its event id, level and exception.</summary>
    private sealed class Logs : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<(int Id, LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((eventId.Id, logLevel, formatter(state, exception), exception));

        public void Dispose()
        {
        }
    }
}
