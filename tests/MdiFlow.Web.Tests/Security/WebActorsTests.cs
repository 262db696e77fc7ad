using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Lab.Identity;
using MdiFlow.Web.Tests.Support;

namespace MdiFlow.Web.Tests.Security;

/// <summary>
/// Erin is in 250 groups, so her tokens carry Entra ID's overage form instead of a groups claim; the last of them is the
/// change board, which the policy does not list her in. The page reads her groups from the lab's Graph.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class WebActorsTests(Chromium chromium)
{
    [Fact]
    public async Task Erin_approves_through_the_API_as_a_member_of_the_change_board_that_Graph_lists_on_its_second_page()
    {
        await using var web = await WebHarness.StartAsync(graph: new LabDirectoryGraphOptions { MaxPageSize = 200 });
        var id = await web.StartWaitingAsync(requester: "alice");

        var response = await DecideAsync(web, id, "erin", "approve", "reviewed with the board");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var decided = (await web.JournalAsync(id)).Single(e => e.Kind == "gate.decided");
        decided.Actor.Should().Be("erin");
        decided.ActorSource.Should().Be(ActorSources.OpenIdConnect);
        (await web.Engine.GetAsync(id)).Status.Should().Be(InstanceStatus.Ready);
        var erin = WebHarness.People.Single(p => p.UserName == "erin");
        web.Graph.Requests.Select(r => (r.Method, r.Status)).Should().Equal(("GET", 200), ("GET", 200));
        web.Graph.Requests[0].Target.Should().Be($"/v1.0/users/{erin.ObjectId}/transitiveMemberOf/microsoft.graph.group?$select=id,onPremisesSamAccountName&$top=999");
        web.Graph.Requests[1].Target.Should().Contain("$skiptoken=");
    }

    [Fact]
    public async Task A_cloud_only_group_someone_named_change_board_counts_for_nothing_and_grace_is_refused_with_403()
    {
        await using var web = await WebHarness.StartAsync();
        var id = await web.StartWaitingAsync(requester: "alice");
        var before = (await web.JournalAsync(id)).Count;

        var response = await DecideAsync(web, id, "grace", "approve", "I made the group myself");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
        (await web.JournalAsync(id)).Should().HaveCount(before);
        web.Graph.Requests.Should().ContainSingle().Which.Status.Should().Be(200, "her groups were read, and only their ids and AD names counted");
    }

    [Fact]
    public async Task Erin_signs_in_on_the_page_sees_the_approve_button_the_engine_allows_and_approves()
    {
        await using var web = await WebHarness.StartAsync();
        var id = await web.StartWaitingAsync(requester: "alice");
        await using var context = await chromium.NewContextAsync();

        var page = await LabSignIn.OpenSignedInAsync(context, web, web.GateUrl(id), "erin");
        (await page.Locator("#approve").CountAsync()).Should().Be(1, await page.ContentAsync());
        await page.FillAsync("#approve-text", "Erin, for the change board");
        await page.ClickAsync("#approve");
        await page.WaitForURLAsync(u => u.Contains("done=approve", StringComparison.Ordinal));

        var decided = (await web.JournalAsync(id)).Single(e => e.Kind == "gate.decided");
        decided.Actor.Should().Be("erin");
        JsonNode.Parse(decided.Data!)!["comment"]!.GetValue<string>().Should().Be("Erin, for the change board");
        web.Graph.Requests.Should().HaveCount(1, "her groups are read once and reused for the next requests");
    }

    [Fact]
    public async Task When_Graph_answers_403_erin_is_refused_with_503_naming_the_permission_to_grant_and_nothing_is_recorded()
    {
        await using var web = await WebHarness.StartAsync(graphPermissions: []);
        var id = await web.StartWaitingAsync(requester: "alice");
        var before = (await web.JournalAsync(id)).Count;

        var api = await DecideAsync(web, id, "erin", "approve", "should not count");
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(web.GateUrl(id).ToString());
        await LabSignIn.SignInAsync(page, web, "erin");

        var problem = JsonNode.Parse(await api.Content.ReadAsStringAsync())!;
        api.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, problem.ToJsonString());
        api.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        problem["detail"]!.GetValue<string>().Should()
            .StartWith("Your groups could not be resolved, so the page cannot tell what you may do here: your sign-in has more groups than fit in its token (Entra ID group overage)")
            .And.Contain("Microsoft Graph refused to list them (403 Authorization_RequestDenied: Insufficient privileges to complete the operation.)")
            .And.Contain($"Grant the page's app registration (client id {WebHarness.ClientId}) the Microsoft Graph application permission GroupMember.Read.All, with admin consent");
        problem["detail"]!.GetValue<string>().Should().NotContain(WebHarness.ClientSecret).And.NotContain("eyJ");
        (await page.Locator(".error").InnerTextAsync()).Should().Contain("Your groups could not be resolved").And.Contain("GroupMember.Read.All");
        (await page.Locator("#approve").CountAsync()).Should().Be(0);
        (await web.JournalAsync(id)).Should().HaveCount(before);
        (await web.Engine.GetAsync(id)).Status.Should().Be(InstanceStatus.Waiting);
        web.Graph.Requests.Should().OnlyContain(r => r.Status == 403);
    }

    [Fact]
    public async Task When_Graph_throttles_erin_is_refused_with_503_and_its_Retry_After_and_her_next_request_counts()
    {
        await using var web = await WebHarness.StartAsync();
        var id = await web.StartWaitingAsync(requester: "alice");
        web.Graph.Throttle(1, TimeSpan.FromSeconds(30));

        var throttled = await DecideAsync(web, id, "erin", "approve", "first try");
        var journalAfterRefusal = (await web.JournalAsync(id)).Count(e => e.Kind == "gate.decided");
        var again = await DecideAsync(web, id, "erin", "approve", "second try");

        throttled.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        throttled.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(30));
        (await throttled.Content.ReadAsStringAsync()).Should().Contain("throttling").And.Contain("Try again in 30 seconds.");
        journalAfterRefusal.Should().Be(0);
        again.StatusCode.Should().Be(HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Frank_with_neither_a_groups_claim_nor_overage_has_no_groups_and_Graph_is_not_asked_for_him_or_for_bob()
    {
        await using var web = await WebHarness.StartAsync();
        var id = await web.StartWaitingAsync(requester: "alice");

        var frank = await DecideAsync(web, id, "frank", "approve", "not on the board");
        var bob = await DecideAsync(web, id, "bob", "approve", "on the board by the policy");

        frank.StatusCode.Should().Be(HttpStatusCode.Forbidden, await frank.Content.ReadAsStringAsync());
        bob.StatusCode.Should().Be(HttpStatusCode.OK, await bob.Content.ReadAsStringAsync());
        web.Graph.Requests.Should().BeEmpty();
    }

    private static async Task<HttpResponseMessage> DecideAsync(WebHarness web, InstanceId id, string person, string action, string text)
    {
        using var http = web.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", web.Issuer.IssueAccessToken(new LabTokenRequest { UserName = person }));
        var response = await http.PostAsJsonAsync($"/api/instances/{id}/decisions", new { action, step = "changeBoard", text });
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
