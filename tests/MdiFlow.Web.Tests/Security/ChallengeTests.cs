using System.Net;
using MdiFlow.Engine;
using MdiFlow.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace MdiFlow.Web.Tests.Security;

public sealed class ChallengeTests : IAsyncLifetime
{
    private WebHarness _web = null!;

    public async Task InitializeAsync() => _web = await WebHarness.StartAsync(app =>
    {
        // Stand-ins for a decision the engine refuses for want of a fresh sign-in, one for pages and one for the API.
        app.MapPost("/test/reauth", () => Throw()).AllowAnonymous();
        app.MapPost("/api/test/reauth", () => Throw()).AllowAnonymous();
    });

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task A_page_without_a_sign_in_sends_the_browser_to_the_issuer_for_a_code_with_PKCE()
    {
        using var http = _web.Client();

        var response = await http.GetAsync("/");

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, body);
        var location = response.Headers.Location!;
        location.ToString().Should().StartWith(_web.Issuer.Authority.Replace("/v2.0", "/oauth2/v2.0/authorize", StringComparison.Ordinal));
        var query = QueryHelpers.ParseQuery(location.Query);
        query["client_id"].ToString().Should().Be(WebHarness.ClientId);
        query["response_type"].ToString().Should().Be("code");
        query["code_challenge_method"].ToString().Should().Be("S256");
        query["redirect_uri"].ToString().Should().Be(new Uri(_web.Address, "signin-oidc").ToString());
        query.Should().NotContainKey("prompt");
    }

    [Fact]
    public async Task A_page_decision_that_needs_a_fresh_sign_in_becomes_a_challenge_with_prompt_login_and_max_age()
    {
        using var http = _web.Client();

        var response = await http.PostAsync("/test/reauth", content: null);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        query["prompt"].ToString().Should().Be("login");
        query["max_age"].ToString().Should().Be("600");
    }

    [Fact]
    public async Task An_API_decision_that_needs_a_fresh_sign_in_gets_a_401_step_up_challenge_and_no_redirect()
    {
        using var http = _web.Client();

        var response = await http.PostAsync("/api/test/reauth", content: null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        challenge.Should().Contain("error=\"insufficient_user_authentication\"").And.Contain("max_age=600");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    private static IResult Throw() =>
        throw new ReauthenticationRequiredException("The organisation policy requires a multi-factor sign-in within 10 minutes for decisions.", requireMfa: true, maxAge: TimeSpan.FromMinutes(10));
}
