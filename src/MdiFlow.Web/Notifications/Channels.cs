using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailKit.Security;
using MdiFlow.Secrets;
using MimeKit;

namespace MdiFlow.Web.Notifications;

/// <summary>One way of telling people: a webhook or mail.</summary>
internal interface INotificationChannel
{
    /// <summary>The name shown on the instance page (never a URL: it may hold a key).</summary>
    string Name { get; }

    /// <exception cref="NotificationFailedException">The receiver refused or could not be reached; the message holds no secret.</exception>
    Task SendAsync(GateEvent notification, CancellationToken cancellationToken);
}

/// <summary>A delivery failed; the message is safe to show.</summary>
internal sealed class NotificationFailedException(string message) : Exception(message);

/// <summary>A generic JSON event, or a Teams incoming-webhook message card with a button that opens the gate page.</summary>
internal sealed class WebhookChannel(WebhookTarget target, HttpClient http) : INotificationChannel
{
    public string Name => $"{target.Name} ({target.Format.ToString().ToLowerInvariant()} webhook)";

    public async Task SendAsync(GateEvent notification, CancellationToken cancellationToken)
    {
        var url = SecretReference.IsValid(target.Url) ? SecretReference.Resolve(target.Name, target.Url) : target.Url;
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(url, Body(notification), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new NotificationFailedException($"the webhook could not be reached ({ex.HttpRequestError})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NotificationFailedException("the webhook did not answer in time");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new NotificationFailedException($"the webhook answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
    }

    private JsonObject Body(GateEvent e) => target.Format == WebhookFormat.Teams
        ? new JsonObject
        {
            ["@type"] = "MessageCard",
            ["@context"] = "https://schema.org/extensions",
            ["summary"] = e.Title,
            ["themeColor"] = e.Kind == "gate.expiring" ? "9A6700" : "0B5CAD",
            ["title"] = $"{e.Title} — {Describe(e.Kind)}",
            ["text"] = e.Summary,
            ["potentialAction"] = new JsonArray(new JsonObject
            {
                ["@type"] = "OpenUri",
                ["name"] = "Open the gate page",
                ["targets"] = new JsonArray(new JsonObject { ["os"] = "default", ["uri"] = e.Link.ToString() }),
            }),
        }
        : new JsonObject
        {
            ["event"] = e.Kind,
            ["instanceId"] = e.InstanceId,
            ["step"] = e.Step,
            ["title"] = e.Title,
            ["summary"] = e.Summary,
            ["link"] = e.Link.ToString(),
            ["at"] = e.At,
        };

    public static string Describe(string kind) => kind switch
    {
        "gate.opened" => "waiting for a decision",
        "gate.decided" => "decided",
        "gate.expiring" => "about to expire",
        _ => kind,
    };
}

/// <summary>Mail through SMTP (MailKit), STARTTLS required unless configured otherwise.</summary>
internal sealed class MailChannel(MailTarget target) : INotificationChannel
{
    public string Name => $"mail to {string.Join(", ", target.To)}";

    public async Task SendAsync(GateEvent notification, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(target.From));
        foreach (var to in target.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Subject = $"[MdiFlow] {notification.Title}: {WebhookChannel.Describe(notification.Kind)}";
        message.Body = new TextPart("plain")
        {
            Text = $"{notification.Summary}\r\n\r\nOpen the gate page (you will be asked to sign in; decisions are taken on the page only):\r\n{notification.Link}\r\n",
        };
        using var smtp = new SmtpClient();
        try
        {
            await smtp.ConnectAsync(target.Host, target.Port, target.RequireTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
            await smtp.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await smtp.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or SmtpCommandException or SmtpProtocolException or MailKit.ServiceNotConnectedException or NotSupportedException)
        {
            throw new NotificationFailedException($"mail to {target.Host}:{target.Port} failed ({ex.GetType().Name}: {ex.Message})");
        }
    }
}
