using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Lab.Identity;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Lab.Tests.Identity;

public sealed class LabIdentityProviderTests : IAsyncLifetime
{
    // The issuer's clock runs behind the real one, so tokens stay valid for the real handlers while a test moves it on.
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow() - TimeSpan.FromMinutes(50));
    private LabIdentityProvider _issuer = null!;

    public async Task InitializeAsync() => _issuer = await LabIdentityProvider.StartAsync(new LabIdentityOptions { TimeProvider = _time });

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task Discovery_names_every_endpoint_RS256_and_S256_under_the_tenant()
    {
        using var http = new HttpClient();
        var discovery = JsonNode.Parse(await http.GetStringAsync(_issuer.Authority + "/.well-known/openid-configuration"))!;

        discovery["issuer"]!.GetValue<string>().Should().Be(_issuer.Authority);
        discovery["authorization_endpoint"]!.GetValue<string>().Should().EndWith($"/{_issuer.TenantId}/oauth2/v2.0/authorize");
        discovery["code_challenge_methods_supported"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("S256");
        discovery["id_token_signing_alg_values_supported"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("RS256");
        var keys = JsonNode.Parse(await http.GetStringAsync(discovery["jwks_uri"]!.GetValue<string>()))!["keys"]!.AsArray();
        keys.Should().ContainSingle().Which!["kty"]!.GetValue<string>().Should().Be("RSA");
    }

    [Theory]
    [InlineData(OpenIdConnectResponseMode.FormPost)]
    [InlineData(OpenIdConnectResponseMode.Query)]
    public async Task Bob_signs_in_through_the_real_OpenIdConnect_handler_with_the_claims_a_decision_records(string responseMode)
    {
        await using var app = await RelyingParty.StartAsync(_issuer, responseMode);
        using var browser = new Browserless();

        var page = await browser.OpenAsync(new Uri(app.Address, "who"));
        var claims = await Browserless.ClaimsAsync(await browser.SignInAsync(page, "bob", mfa: true));

        var bob = _issuer.People.Single(p => p.UserName == "bob");
        Values(claims, "(issuer)").Should().Equal(_issuer.Authority);
        Values(claims, "preferred_username").Should().Equal("bob");
        Values(claims, "upn").Should().Equal(bob.UserPrincipalName);
        Values(claims, "name").Should().Equal("Bob Brennan");
        Values(claims, "oid").Should().Equal(bob.ObjectId.ToString());
        Values(claims, "tid").Should().Equal(_issuer.TenantId.ToString());
        Values(claims, "amr").Should().Equal("pwd", "mfa");
        Values(claims, "groups").Should().Equal("change-board");
        Values(claims, "auth_time").Should().Equal(_time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_sign_in_without_MFA_has_only_pwd_in_amr()
    {
        await using var app = await RelyingParty.StartAsync(_issuer);
        using var browser = new Browserless();

        var claims = await Browserless.ClaimsAsync(await browser.SignInAsync(await browser.OpenAsync(new Uri(app.Address, "who")), "carol", mfa: false));

        Values(claims, "amr").Should().Equal("pwd");
    }

    [Fact]
    public async Task The_issuer_session_signs_in_again_without_the_page_until_prompt_login_asks_for_a_new_sign_in_with_a_later_auth_time()
    {
        await using var app = await RelyingParty.StartAsync(_issuer);
        using var browser = new Browserless();
        var first = await Browserless.ClaimsAsync(await browser.SignInAsync(await browser.OpenAsync(new Uri(app.Address, "who")), "bob", mfa: false));

        _time.Advance(TimeSpan.FromMinutes(20));
        var silent = await Browserless.ClaimsAsync(await browser.SubmitFormPostAsync(await browser.OpenAsync(new Uri(app.Address, "challenge"))));
        var page = await browser.OpenAsync(new Uri(app.Address, "challenge?prompt=login"));
        var again = await Browserless.ClaimsAsync(await browser.SignInAsync(page, "bob", mfa: true));

        Values(silent, "auth_time").Should().Equal(Values(first, "auth_time"));
        long.Parse(Values(again, "auth_time").Single(), System.Globalization.CultureInfo.InvariantCulture)
            .Should().Be(long.Parse(Values(first, "auth_time").Single(), System.Globalization.CultureInfo.InvariantCulture) + 20 * 60);
        Values(again, "amr").Should().Equal("pwd", "mfa");
        _issuer.SignIns.Select(s => s.UserName).Should().Equal("bob", "bob");
    }

    [Fact]
    public async Task Max_age_accepts_a_recent_sign_in_and_asks_again_for_an_older_one()
    {
        await using var app = await RelyingParty.StartAsync(_issuer);
        using var browser = new Browserless();
        await Browserless.ClaimsAsync(await browser.SignInAsync(await browser.OpenAsync(new Uri(app.Address, "who")), "dave", mfa: true));

        _time.Advance(TimeSpan.FromMinutes(5));
        var recent = await browser.SubmitFormPostAsync(await browser.OpenAsync(new Uri(app.Address, "challenge?max_age=600")));
        _time.Advance(TimeSpan.FromMinutes(6));
        var older = await browser.OpenAsync(new Uri(app.Address, "challenge?max_age=600"));

        Browserless.IsLoginPage(await recent.Content.ReadAsStringAsync()).Should().BeFalse();
        recent.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await older.Content.ReadAsStringAsync();
        Browserless.IsLoginPage(html).Should().BeTrue();
        html.Should().Contain("no older than 600 seconds");
    }

    [Fact]
    public async Task The_real_JwtBearer_handler_accepts_the_issuers_access_token_and_refuses_another_issuer_an_expired_token_and_a_bad_signature()
    {
        await using var app = await RelyingParty.StartAsync(_issuer);
        await using var other = await LabIdentityProvider.StartAsync(new LabIdentityOptions { TimeProvider = _time });
        var good = _issuer.IssueAccessToken(new LabTokenRequest { UserName = "bob" });
        var signature = good[(good.LastIndexOf('.') + 1)..];
        var tampered = good[..(good.LastIndexOf('.') + 1)] + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];

        (await CallAsync(app, good)).Should().Be(HttpStatusCode.OK);
        (await CallAsync(app, other.IssueAccessToken(new LabTokenRequest { UserName = "bob" }))).Should().Be(HttpStatusCode.Unauthorized);
        (await CallAsync(app, _issuer.IssueAccessToken(new LabTokenRequest { UserName = "bob", IssuedAt = TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(3) }))).Should().Be(HttpStatusCode.Unauthorized);
        (await CallAsync(app, tampered)).Should().Be(HttpStatusCode.Unauthorized);
        (await CallAsync(app, _issuer.IssueAccessToken(new LabTokenRequest { UserName = "bob", Audience = "api://someone-else" }))).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PKCE_is_required_the_verifier_must_match_and_a_code_is_redeemed_once()
    {
        var redirect = new Uri("http://127.0.0.1:9/callback");
        _issuer.Register(new LabClient { ClientId = "pkce-test", RedirectUris = [redirect] });
        using var browser = new Browserless(followRedirects: false);
        var verifier = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        string Authorize(string? codeChallenge) => QueryHelpers.AddQueryString(_issuer.Authority.Replace("/v2.0", "/oauth2/v2.0/authorize", StringComparison.Ordinal), new Dictionary<string, string?>
        {
            ["client_id"] = "pkce-test", ["redirect_uri"] = redirect.ToString(), ["response_type"] = "code", ["scope"] = "openid", ["state"] = "s1",
            ["code_challenge"] = codeChallenge, ["code_challenge_method"] = codeChallenge is null ? null : "S256",
        }.Where(p => p.Value is not null));

        var without = await browser.Client.GetAsync(Authorize(null));
        var page = await browser.Client.GetAsync(Authorize(challenge));
        var html = await page.Content.ReadAsStringAsync();
        var handle = System.Text.RegularExpressions.Regex.Match(html, "name=\"request\" value=\"([^\"]+)\"").Groups[1].Value;
        var signedIn = await browser.Client.PostAsync(page.RequestMessage!.RequestUri, new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = handle, ["person"] = "alice" }));
        var code = QueryHelpers.ParseQuery(signedIn.Headers.Location!.Query)["code"].ToString();
        Task<HttpResponseMessage> RedeemAsync(string codeVerifier) => browser.Client.PostAsync(_issuer.Authority.Replace("/v2.0", "/oauth2/v2.0/token", StringComparison.Ordinal), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = "pkce-test", ["code"] = code, ["redirect_uri"] = redirect.ToString(), ["code_verifier"] = codeVerifier,
        }));
        var wrong = await RedeemAsync(verifier + "x");

        without.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var error = QueryHelpers.ParseQuery(without.Headers.Location!.Query);
        error["error"].ToString().Should().Be("invalid_request");
        error["error_description"].ToString().Should().Contain("PKCE");
        error["state"].ToString().Should().Be("s1");
        wrong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync()).Should().Contain("invalid_grant").And.Contain("code_verifier");
        // The wrong verifier used the code up (codes are single-use); a new sign-in gets a fresh one.
        (await RedeemAsync(verifier)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_redirect_uri_that_is_not_registered_gets_an_error_page_and_no_redirect()
    {
        await using var app = await RelyingParty.StartAsync(_issuer);
        using var browser = new Browserless(followRedirects: false);
        var url = _issuer.Authority.Replace("/v2.0", "/oauth2/v2.0/authorize", StringComparison.Ordinal)
            + $"?client_id={RelyingParty.ClientId}&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&response_type=code&scope=openid&code_challenge=x&code_challenge_method=S256";

        var response = await browser.Client.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Headers.Location.Should().BeNull();
        (await response.Content.ReadAsStringAsync()).Should().Contain("AADSTS50011");
    }

    private static IReadOnlyList<string> Values(JsonObject claims, string type) =>
        claims[type] is JsonArray values ? [.. values.Select(v => v!.GetValue<string>())] : claims[type] is JsonValue one ? [one.GetValue<string>()] : [];

    private static async Task<HttpStatusCode> CallAsync(RelyingParty app, string token)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await http.GetAsync(new Uri(app.Address, "api/who"))).StatusCode;
    }
}
