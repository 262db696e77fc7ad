using System.Net;
using System.Text;
using MdiFlow.Lab.Notifications;

namespace MdiFlow.Lab.Tests.Notifications;

public sealed class LabWebhookReceiverTests
{
    [Fact]
    public async Task The_first_requests_fail_as_told_then_every_request_is_answered_like_a_Teams_webhook_and_all_are_recorded()
    {
        await using var receiver = await LabWebhookReceiver.StartAsync(new LabWebhookOptions { FailFirst = 2, FailureStatus = 429 });
        using var http = new HttpClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 3; i++)
        {
            var response = await http.PostAsync(new Uri(receiver.Address, "hooks/teams?x=1"), new StringContent($"{{\"n\":{i}}}", Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
            if (i == 3)
            {
                (await response.Content.ReadAsStringAsync()).Should().Be("1");
            }
        }

        var requests = await receiver.WaitForRequestsAsync(3);

        statuses.Should().Equal(HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK);
        requests.Select(r => r.Status).Should().Equal(429, 429, 200);
        requests.Select(r => r.Body).Should().Equal("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        requests[0].Target.Should().Be("/hooks/teams?x=1");
        requests[0].Headers["Content-Type"].Should().StartWith("application/json");
    }
}
