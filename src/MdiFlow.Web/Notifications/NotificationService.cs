using MdiFlow.Engine;
using MdiFlow.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MdiFlow.Web.Notifications;

/// <summary>Runs the notification pump every poll interval while the page runs (nothing when no channel is configured).</summary>
internal sealed class NotificationService(IOptions<MdiFlowWebOptions> options, IWorkflowStore store, WorkflowEngine engine, DeliveryLog log, TimeProvider time, IHttpClientFactory clients, ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var web = options.Value;
        var notifications = web.Notifications;
        if (!notifications.Any || web.PublicBaseUrl is null)
        {
            return;
        }

        var pump = Create(web, store, engine, log, time, clients.CreateClient("mdiflow-notifications"), loggers.CreateLogger<NotificationPump>());
        using var timer = new PeriodicTimer(notifications.PollInterval, time);
        do
        {
            try
            {
                await pump.RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is StoreException or ConcurrencyException)
            {
                loggers.CreateLogger<NotificationService>().LogWarning(ex, "Reading the store for notifications failed; trying again at the next poll.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public static NotificationPump Create(MdiFlowWebOptions web, IWorkflowStore store, WorkflowEngine engine, DeliveryLog log, TimeProvider time, HttpClient http, ILogger<NotificationPump> logger)
    {
        var notifications = web.Notifications;
        var channels = new List<INotificationChannel>();
        channels.AddRange(notifications.Webhooks.Select(w => new WebhookChannel(w, http)));
        if (notifications.Mail is { } mail)
        {
            channels.Add(new MailChannel(mail));
        }

        var watcher = new GateWatcher(store, engine, time, notifications, web.PublicBaseUrl!);
        return new NotificationPump(watcher, channels, log, notifications, time, logger);
    }
}
