using System.Text.Json.Nodes;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Hosting;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Lab.Notifications;
using MdiFlow.Storage;
using MdiFlow.Testing;
using MdiFlow.Web.Notifications;
using MdiFlow.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace MdiFlow.Web.Tests.Notifications;

public sealed class NotificationPumpTests : IAsyncLifetime
{
    private static readonly Uri Page = new("https://changes.contoso.test/");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly TempDirectory _temp = new();
    private readonly DeliveryLog _log = new();
    private ServiceProvider _services = null!;
    private LabWebhookReceiver _json = null!;
    private LabWebhookReceiver _teams = null!;
    private LabSmtpSink _mail = null!;
    private NotificationPump _pump = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _json = await LabWebhookReceiver.StartAsync(new LabWebhookOptions { FailFirst = 1 });
        _teams = await LabWebhookReceiver.StartAsync();
        _mail = LabSmtpSink.Start();
        _services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_time)
            .AddMdiFlow(flow => flow.UseSqlite(_temp.Combine("mdiflow.db")).UsePolicy(WebHarness.PolicyTrusting("https://issuer.test/v2.0")).AddActivity<FactsActivity>())
            .Services.BuildServiceProvider();
        var web = new MdiFlowWebOptions { PublicBaseUrl = Page };
        web.Notifications.Webhooks.Add(new WebhookTarget { Name = "ops", Url = new Uri(_json.Address, "hooks/ops").ToString() });
        web.Notifications.Webhooks.Add(new WebhookTarget { Name = "board", Url = new Uri(_teams.Address, "webhookb2/x").ToString(), Format = WebhookFormat.Teams });
        web.Notifications.Mail = new MailTarget { Host = _mail.Host, Port = _mail.Port, RequireTls = false, From = "mdiflow@contoso.test" };
        web.Notifications.Mail.To.Add("change-board@contoso.test");
        _http = new HttpClient();
        _pump = NotificationService.Create(web, Store, Engine, _log, _time, _http, NullLogger<NotificationPump>.Instance);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _services.DisposeAsync();
        await _json.DisposeAsync();
        await _teams.DisposeAsync();
        await _mail.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private WorkflowEngine Engine => _services.GetRequiredService<WorkflowEngine>();

    private IWorkflowStore Store => _services.GetRequiredService<IWorkflowStore>();

    [Fact]
    public async Task Opening_a_gate_sends_one_webhook_of_each_kind_and_one_mail_with_a_deep_link_and_a_failing_receiver_is_retried_after_its_backoff()
    {
        var id = await StartWaitingAsync();
        var link = new Uri(Page, $"instances/{id}/gates/changeBoard").ToString();

        await _pump.RunOnceAsync(default);
        var afterFirst = _log.For(id.Value).Single(d => d.Channel.StartsWith("ops", StringComparison.Ordinal));
        (afterFirst.Attempts, afterFirst.DeliveredAt, afterFirst.NextAttemptAt).Should().Be((1, null, _time.GetUtcNow() + TimeSpan.FromSeconds(10)));
        afterFirst.LastError.Should().Contain("503");
        await _pump.RunOnceAsync(default);
        _json.Requests.Should().HaveCount(1, "the retry is not due yet");
        _time.Advance(TimeSpan.FromSeconds(10));
        await _pump.RunOnceAsync(default);

        _json.Requests.Select(r => r.Status).Should().Equal(503, 200);
        var body = JsonNode.Parse(_json.Requests[^1].Body)!;
        body["event"]!.GetValue<string>().Should().Be("gate.opened");
        body["link"]!.GetValue<string>().Should().Be(link);
        body["summary"]!.GetValue<string>().Should().Contain("alice asks for 1 approval(s) from group:change-board");
        var card = JsonNode.Parse(_teams.Requests.Single().Body)!;
        card["@type"]!.GetValue<string>().Should().Be("MessageCard");
        card["potentialAction"]![0]!["targets"]![0]!["uri"]!.GetValue<string>().Should().Be(link);
        var mail = await MimeMessage.LoadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(_mail.Messages.Single().Data)));
        mail.Subject.Should().Be("[MdiFlow] Sensor rollout on DC01: Change-board approval: waiting for a decision");
        mail.TextBody.Should().Contain(link);
        new[] { link }.Should().AllSatisfy(l => l.Should().NotContain("decision").And.NotContain("approve"));
        _log.For(id.Value).Should().OnlyContain(d => d.DeliveredAt != null);
        (await Engine.GetAsync(id)).Status.Should().Be(InstanceStatus.Waiting, "notifying changes nothing in the instance");
    }

    [Fact]
    public async Task A_decision_and_an_approaching_expiry_are_each_announced_once()
    {
        var id = await StartWaitingAsync();
        await _pump.RunOnceAsync(default);
        _time.Advance(TimeSpan.FromSeconds(10));
        await _pump.RunOnceAsync(default);

        _time.Advance(TimeSpan.FromHours(44) + TimeSpan.FromMinutes(1));
        await _pump.RunOnceAsync(default);
        await _pump.RunOnceAsync(default);
        await Engine.ActAsync(id, new GateActionRequest { Action = GateAction.Approve, Actor = new Actor("bob", ActorSources.OperatingSystem), Text = "looks right" });
        await _pump.RunOnceAsync(default);

        _teams.Requests.Select(r => JsonNode.Parse(r.Body)!["title"]!.GetValue<string>())
            .Should().Equal("Sensor rollout on DC01: Change-board approval — waiting for a decision", "Sensor rollout on DC01: Change-board approval — about to expire", "Sensor rollout on DC01: Change-board approval — decided");
        JsonNode.Parse(_teams.Requests[^1].Body)!["text"]!.GetValue<string>().Should().Be("bob approved: looks right The instance is ready.");
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_given_up_after_the_maximum_attempts_and_the_instance_page_says_so()
    {
        await using var broken = await LabWebhookReceiver.StartAsync(new LabWebhookOptions { FailFirst = 100, FailureStatus = 500 });
        var web = new MdiFlowWebOptions { PublicBaseUrl = Page };
        web.Notifications.Webhooks.Add(new WebhookTarget { Name = "broken", Url = broken.Address.ToString() });
        web.Notifications.MaxAttempts = 3;
        var log = new DeliveryLog();
        var pump = NotificationService.Create(web, Store, Engine, log, _time, _http, NullLogger<NotificationPump>.Instance);
        var id = await StartWaitingAsync();

        foreach (var wait in new[] { 0, 10, 20, 40 })
        {
            _time.Advance(TimeSpan.FromSeconds(wait));
            await pump.RunOnceAsync(default);
        }

        broken.Requests.Should().HaveCount(3);
        var delivery = log.For(id.Value).Single();
        delivery.GaveUp.Should().BeTrue();
        var html = Web.Pages.InstancePage.Render(await Engine.GetAsync(id), await Store.ReadJournalAsync(id), (true, "verified"), log.For(id.Value), "t", new Web.Html.PageChrome("bob", "t", "f"), null).ToString();
        html.Should().Contain("failed, given up").And.Contain("the webhook answered 500");
    }

    private async Task<InstanceId> StartWaitingAsync()
    {
        var definition = _services.GetRequiredService<WorkflowValidator>().Parse(WebHarness.Workflow).Definition!;
        var alice = new Actor("alice", ActorSources.OperatingSystem);
        var instance = await Engine.StartAsync(definition, new StartRequest { Actor = alice });
        (await Engine.RunAsync(instance.Id, new RunRequest { Actor = alice })).Status.Should().Be(InstanceStatus.Waiting);
        return instance.Id;
    }
}
