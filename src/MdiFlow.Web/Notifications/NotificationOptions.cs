namespace MdiFlow.Web.Notifications;

/// <summary>Where the page tells people that a gate opened, was decided, or is about to expire.</summary>
public sealed class NotificationOptions
{
    /// <summary>Webhooks: generic JSON, or Teams incoming-webhook cards.</summary>
    public IList<WebhookTarget> Webhooks { get; } = [];

    /// <summary>Mail through an SMTP server, or null for none.</summary>
    public MailTarget? Mail { get; set; }

    /// <summary>How often the store is read for gates that opened, were decided or near their expiry.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long before a gate's expiry the warning goes out.</summary>
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromHours(4);

    /// <summary>A gate first seen when the page starts is announced only if it opened this recently (the delivery state is not durable yet).</summary>
    public TimeSpan AnnounceOnStartWithin { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts per delivery before it is given up (and shown as failed on the instance page).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the second attempt; each later wait doubles.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether any channel is configured.</summary>
    public bool Any => Webhooks.Count > 0 || Mail is not null;
}

/// <summary>A webhook to call.</summary>
public sealed class WebhookTarget
{
    /// <summary>A name for the instance page and logs (the URL is never shown: a Teams URL holds a key).</summary>
    public string Name { get; set; } = "webhook";

    /// <summary>The URL, or a reference to it (<c>env:NAME</c>, <c>file:PATH</c>) when it holds a key.</summary>
    public string Url { get; set; } = "";

    /// <summary>The body's format.</summary>
    public WebhookFormat Format { get; set; } = WebhookFormat.Json;
}

/// <summary>The body a webhook gets.</summary>
public enum WebhookFormat
{
    /// <summary>A generic JSON event.</summary>
    Json,

    /// <summary>A Microsoft Teams incoming-webhook message card.</summary>
    Teams,
}

/// <summary>An SMTP server and who gets the mail.</summary>
public sealed class MailTarget
{
    /// <summary>The SMTP host.</summary>
    public string Host { get; set; } = "";

    /// <summary>The SMTP port.</summary>
    public int Port { get; set; } = 25;

    /// <summary>Whether to require STARTTLS (always, except towards a loopback test sink).</summary>
    public bool RequireTls { get; set; } = true;

    /// <summary>The sender address.</summary>
    public string From { get; set; } = "";

    /// <summary>The recipients (the change board's list).</summary>
    public IList<string> To { get; } = [];
}
