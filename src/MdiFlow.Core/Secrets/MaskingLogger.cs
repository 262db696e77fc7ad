using Microsoft.Extensions.Logging;

namespace MdiFlow.Secrets;

/// <summary>An activity's logger that masks every secret the attempt has seen in each message before it is written.</summary>
/// <remarks>
/// A message reaches the inner logger as formatted, masked text: structured fields could carry a secret past the
/// mask, so they are not passed on. An exception is reduced to its type and masked message for the same reason.
/// </remarks>
internal sealed class MaskingLogger(ILogger inner, SecretMask mask) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (mask.IsEmpty)
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        var message = mask.Mask(formatter(state, exception));
        if (exception is not null)
        {
            message += $" ({exception.GetType().Name}: {mask.Mask(exception.Message)})";
        }

        inner.Log(logLevel, eventId, message, null, static (text, _) => text);
    }
}
