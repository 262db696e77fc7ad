using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Lab.Identity;
using MdiFlow.Web.Tests.Support;
using Microsoft.Playwright;

namespace MdiFlow.Web.Tests.Security;

/// <summary>
/// The policy requires decisions from a multi-factor sign-in no older than ten minutes: the real engine refuses anything
/// else before saving, and the page and the API turn the refusal into a fresh sign-in, never a decision.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class DecisionSignInTests(Chromium chromium) : IAsyncLifetime
{
    private WebHarness _web = null!;

    public async Task InitializeAsync() => _web = await WebHarness.StartAsync(policy: issuer => WebHarness.PolicyTrusting(issuer, "\"requireMfa\": true, \"maxSignInAge\": \"PT10M\""));

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task An_API_approval_without_mfa_or_from_an_old_sign_in_gets_a_step_up_challenge_and_nothing_is_recorded()
    {
        var id = await _web.StartWaitingAsync(requester: "alice");
        var before = (await _web.JournalAsync(id)).Count;
        var now = TimeProvider.System.GetUtcNow();

        var withoutMfa = await ApproveAsync(id, new LabTokenRequest { UserName = "bob", Mfa = false });
        var oldSignIn = await ApproveAsync(id, new LabTokenRequest { UserName = "bob", Mfa = true, AuthTime = now - TimeSpan.FromMinutes(30) });

        withoutMfa.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        withoutMfa.Headers.WwwAuthenticate.ToString().Should().Contain("insufficient_user_authentication");
        (await withoutMfa.Content.ReadAsStringAsync()).Should().Contain("multi-factor");
        oldSignIn.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        oldSignIn.Headers.WwwAuthenticate.ToString().Should().Contain("max_age=600");
        (await _web.JournalAsync(id)).Should().HaveCount(before, "a refused decision changes nothing");
        (await _web.Engine.GetAsync(id)).Status.Should().Be(InstanceStatus.Waiting);
    }

    [Fact]
    public async Task An_API_approval_from_a_fresh_multi_factor_sign_in_is_recorded_with_its_amr()
    {
        var id = await _web.StartWaitingAsync(requester: "alice");

        var fresh = await ApproveAsync(id, new LabTokenRequest { UserName = "bob", Mfa = true, AuthTime = TimeProvider.System.GetUtcNow() - TimeSpan.FromMinutes(2) });

        fresh.StatusCode.Should().Be(HttpStatusCode.OK, await fresh.Content.ReadAsStringAsync());
        var decided = (await _web.JournalAsync(id)).Single(e => e.Kind == "gate.decided");
        JsonNode.Parse(decided.Data!)!["identity"]!["amr"]!.GetValue<string>().Split(' ').Should().Contain("mfa");
    }

    [Fact]
    public async Task On_the_page_an_approval_without_mfa_sends_bob_to_sign_in_again_and_only_the_approval_after_it_counts()
    {
        var id = await _web.StartWaitingAsync(requester: "alice");
        await using var context = await chromium.NewContextAsync();
        var page = await LabSignIn.OpenSignedInAsync(context, _web, _web.GateUrl(id), "bob", mfa: false);
        var before = (await _web.JournalAsync(id)).Count;

        await page.FillAsync("#approve-text", "first try, password only");
        await page.ClickAsync("#approve");
        await page.GetByText("Sign in to the MdiFlow lab").First.WaitForAsync();

        page.Url.Should().Contain("prompt=login").And.Contain("max_age=600");
        (await _web.JournalAsync(id)).Should().HaveCount(before, "the password-only approval was not taken");
        await LabSignIn.SignInAsync(page, _web, "bob", mfa: true);
        await page.GotoAsync(_web.GateUrl(id).ToString());
        await page.FillAsync("#approve-text", "after signing in with MFA");
        await page.ClickAsync("#approve");
        await page.WaitForURLAsync(u => u.Contains("done=approve", StringComparison.Ordinal));
        var decided = (await _web.JournalAsync(id)).Single(e => e.Kind == "gate.decided");
        JsonNode.Parse(decided.Data!)!["comment"]!.GetValue<string>().Should().Be("after signing in with MFA");
        (await _web.Engine.GetAsync(id)).Status.Should().Be(InstanceStatus.Ready);
    }

    private async Task<HttpResponseMessage> ApproveAsync(InstanceId id, LabTokenRequest token)
    {
        using var http = _web.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _web.Issuer.IssueAccessToken(token));
        return await http.PostAsJsonAsync($"/api/instances/{id}/decisions", new { action = "approve", step = "changeBoard", text = "via the API" });
    }
}
