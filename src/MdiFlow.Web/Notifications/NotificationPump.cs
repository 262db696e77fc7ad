using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Web.Notifications;

/// <summary>One notification to one channel, and how its delivery went.</summary>
internal sealed class Delivery(GateEvent notification, string channel, DateTimeOffset due)
{
    public GateEvent Event { get; } = notification;

    public string Channel { get; } = channel;

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; } = due;

    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public bool GaveUp { get; set; }

    public bool Pending => DeliveredAt is null && !GaveUp;
}

/// <summary>Every delivery of this process, by instance, for the instance page.</summary>
internal sealed class DeliveryLog
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Delivery>> _byInstance = new(StringComparer.Ordinal);

    public void Add(Delivery delivery) => _byInstance.GetOrAdd(delivery.Event.InstanceId, _ => new()).Enqueue(delivery);

    public IReadOnlyList<Delivery> For(string instanceId) => _byInstance.TryGetValue(instanceId, out var list) ? [.. list] : [];

    public IEnumerable<Delivery> Pending => _byInstance.Values.SelectMany(q => q).Where(d => d.Pending);
}

/// <summary>
/// One pass: notice what changed at the gates, then attempt every delivery that is due; a failed one is retried with
/// doubling waits up to the maximum attempts. It runs beside the engine and never holds an instance, so a receiver
/// that fails never blocks a run.
/// </summary>
internal sealed partial class NotificationPump(GateWatcher watcher, IReadOnlyList<INotificationChannel> channels, DeliveryLog log, NotificationOptions options, TimeProvider time, ILogger<NotificationPump> logger)
{
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var notification in await watcher.PollAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var channel in channels)
            {
                log.Add(new Delivery(notification, channel.Name, notification.At));
            }
        }

        var now = time.GetUtcNow();
        foreach (var delivery in log.Pending.Where(d => d.NextAttemptAt <= now).ToList())
        {
            var channel = channels.First(c => c.Name == delivery.Channel);
            delivery.Attempts++;
            try
            {
                await channel.SendAsync(delivery.Event, cancellationToken).ConfigureAwait(false);
                delivery.DeliveredAt = time.GetUtcNow();
                delivery.LastError = null;
            }
            catch (Exception ex) when (ex is NotificationFailedException or Secrets.SecretException)
            {
                delivery.LastError = ex.Message;
                delivery.GaveUp = delivery.Attempts >= options.MaxAttempts;
                delivery.NextAttemptAt = now + (options.FirstRetryDelay * Math.Pow(2, delivery.Attempts - 1));
                Failed(logger, delivery.Event.Kind, delivery.Event.InstanceId, delivery.Channel, delivery.Attempts, delivery.GaveUp, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Notification {Kind} of instance {InstanceId} to {Channel} failed (attempt {Attempt}, given up: {GaveUp}): {Reason}")]
    private static partial void Failed(ILogger logger, string kind, string instanceId, string channel, int attempt, bool gaveUp, string reason);
}
