using System.Text.Json.Nodes;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MdiFlow.Web.Tests.Pages;

[Collection(ChromiumCollection.Name)]
public sealed class ChangeBoardBrowserTests(Chromium chromium, ITestOutputHelper output) : IAsyncLifetime
{
    private WebHarness _web = null!;

    public async Task InitializeAsync() => _web = await WebHarness.StartAsync();

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task Bob_signs_in_sees_the_gate_with_its_facts_approves_with_a_comment_and_the_run_completes()
    {
        var id = await _web.StartWaitingAsync(requester: "alice");
        await using var context = await chromium.NewContextAsync();

        var page = await LabSignIn.OpenSignedInAsync(context, _web, _web.Address, "bob", mfa: true);
        var mine = page.Locator("#mine");
        (await mine.InnerTextAsync()).Should().Contain("Change-board approval").And.Contain("DC01").And.Contain("alice").And.Contain("0 of 1").And.Contain("in 1 d 23 h");
        await Screenshots.TakeAsync(page, "inbox", output);
        await mine.GetByRole(AriaRole.Link, new() { Name = "Change-board approval" }).ClickAsync();
        await page.WaitForURLAsync(_web.GateUrl(id).ToString());

        (await page.Locator("#instructions").InnerTextAsync()).Should().Contain("Install the sensor on DC01.contoso.test. Licence: EMSPREMIUM.").And.Contain("<script>alert('x')</script>");
        (await page.Locator("#facts-facts").InnerTextAsync()).Should().Contain("Security Administrator").And.Contain("9f2c4e0b7a31d5c8");
        (await page.Locator("#journal-head").InnerTextAsync()).Should().Be((await _web.JournalAsync(id))[^1].Mac);
        await Screenshots.TakeAsync(page, "gate", output);
        await page.FillAsync("#approve-text", "Checks reviewed: licence, role and package hash match the change ticket.");
        await page.ClickAsync("#approve");
        await page.WaitForURLAsync(u => u.Contains($"/instances/{id}?done=approve", StringComparison.Ordinal));

        (await page.Locator(".notice").InnerTextAsync()).Should().Contain("Your approval was recorded");
        var decided = (await _web.JournalAsync(id)).Single(e => e.Kind == "gate.decided");
        decided.Actor.Should().Be("bob");
        decided.ActorSource.Should().Be(ActorSources.OpenIdConnect);
        JsonNode.Parse(decided.Data!)!["comment"]!.GetValue<string>().Should().Be("Checks reviewed: licence, role and package hash match the change ticket.");
        (await page.Locator("#journal-entries").InnerTextAsync()).Should().Contain("bob (oidc)").And.Contain("Checks reviewed");
        var resumed = await _web.Engine.RunAsync(id, new RunRequest { Actor = new Actor("alice", ActorSources.OperatingSystem) });
        resumed.Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public async Task The_page_cookie_is_secure_http_only_and_same_site_and_every_page_sends_a_script_free_content_policy()
    {
        await _web.StartWaitingAsync();
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var first = await page.GotoAsync(_web.Address.ToString());
        await LabSignIn.SignInAsync(page, _web, "carol");
        var inbox = await page.ReloadAsync();

        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "__Host-mdiflow");
        cookie.Secure.Should().BeTrue();
        cookie.HttpOnly.Should().BeTrue();
        cookie.SameSite.Should().Be(SameSiteAttribute.Lax);
        var headers = await inbox!.AllHeadersAsync();
        headers["content-security-policy"].Should().StartWith("default-src 'none'; style-src 'self'").And.Contain("frame-ancestors 'none'").And.NotContain("script-src");
        headers["x-frame-options"].Should().Be("DENY");
        headers["x-content-type-options"].Should().Be("nosniff");
        headers["strict-transport-security"].Should().StartWith("max-age=");
        first.Should().NotBeNull();
    }

    [Fact]
    public async Task The_requester_sees_no_approve_button_and_a_forged_post_with_her_own_antiforgery_token_is_refused_with_403_and_nothing_recorded()
    {
        var id = await _web.StartWaitingAsync(requester: "alice");
        await using var context = await chromium.NewContextAsync();
        var page = await LabSignIn.OpenSignedInAsync(context, _web, _web.GateUrl(id), "alice");
        var before = await _web.JournalAsync(id);

        (await page.Locator("#approve").CountAsync()).Should().Be(0);
        (await page.Locator("form.decide").CountAsync()).Should().Be(0);
        (await page.Locator("#why").InnerTextAsync()).Should().Contain("alice started instance").And.Contain("cannot approve it");
        var token = await page.InputValueAsync("header input[name=__RequestVerificationToken]");
        var forged = await context.APIRequest.PostAsync(_web.DecisionUrl(id).ToString(), new APIRequestContextOptions
        {
            Form = context.APIRequest.CreateFormData().Set("__RequestVerificationToken", token).Set("action", "approve").Set("text", "approving my own change"),
            MaxRedirects = 0,
        });

        forged.Status.Should().Be(403, await forged.TextAsync());
        (await forged.TextAsync()).Should().Contain("alice started instance").And.Contain("cannot approve it");
        (await _web.JournalAsync(id)).Should().HaveCount(before.Count);
        (await _web.Engine.GetAsync(id)).Status.Should().Be(InstanceStatus.Waiting);
    }

    [Fact]
    public async Task A_post_without_antiforgery_is_refused_and_a_get_to_the_decision_url_changes_nothing()
    {
        var id = await _web.StartWaitingAsync(requester: "alice");
        await using var context = await chromium.NewContextAsync();
        var page = await LabSignIn.OpenSignedInAsync(context, _web, _web.GateUrl(id), "bob");
        (await page.Locator("#approve").CountAsync()).Should().Be(1);
        var before = await _web.JournalAsync(id);

        var withoutToken = await context.APIRequest.PostAsync(_web.DecisionUrl(id).ToString(), new APIRequestContextOptions
        {
            Form = context.APIRequest.CreateFormData().Set("action", "approve").Set("text", "no token"),
            MaxRedirects = 0,
        });
        var get = await context.APIRequest.GetAsync(_web.DecisionUrl(id) + "?action=approve&text=by-link", new APIRequestContextOptions { MaxRedirects = 0 });
        var navigation = await page.GotoAsync(_web.DecisionUrl(id) + "?action=approve");

        withoutToken.Status.Should().Be(400);
        (await withoutToken.TextAsync()).Should().Contain("anti-forgery token");
        get.Status.Should().Be(405);
        navigation!.Status.Should().Be(405);
        (await page.Locator(".error").InnerTextAsync()).Should().Contain("opening a link changes nothing");
        (await _web.JournalAsync(id)).Should().HaveCount(before.Count);
        (await _web.Engine.GetAsync(id)).Status.Should().Be(InstanceStatus.Waiting);
    }

    [Fact]
    public async Task The_journal_records_the_issuer_and_amr_of_bobs_approval()
    {
        var id = await _web.StartWaitingAsync(requester: "alice");
        await using var context = await chromium.NewContextAsync();
        var page = await LabSignIn.OpenSignedInAsync(context, _web, _web.GateUrl(id), "bob", mfa: true);
        await page.ClickAsync("#approve");
        await page.WaitForURLAsync(u => u.Contains("done=approve", StringComparison.Ordinal));

        var decided = (await _web.JournalAsync(id)).Single(e => e.Kind == "gate.decided");
        var identity = JsonNode.Parse(decided.Data!)!["identity"]!;
        identity["iss"]!.GetValue<string>().TrimEnd('/').Should().Be(_web.Issuer.Authority.ToString().TrimEnd('/'));
        identity["amr"]!.GetValue<string>().Split(' ').Should().Contain("mfa");
        long.Parse(identity["auth_time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(0);
        (await _web.Engine.VerifyAsync(id)).Verified.Should().BeTrue("the identity is part of the keyed record");
    }
}
