using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Core.Tests.Support;

/// <summary>A logger factory that keeps every message written, for tests of what reaches the logs.</summary>
public sealed class RecordingLogs : ILoggerFactory
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            logs.Messages.Enqueue(formatter(state, exception) + (state is IEnumerable<KeyValuePair<string, object?>> fields ? " | " + string.Join(", ", fields.Select(f => $"{f.Key}={f.Value}")) : ""));
        }
    }
}
