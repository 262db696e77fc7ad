using System.Net;
using System.Text.Json.Nodes;
using MdiFlow.Lab.Identity;

namespace MdiFlow.Lab.Tests.Identity;

public sealed class TokenEndpointTests : IAsyncLifetime
{
    private LabIdentityProvider _issuer = null!;

    public async Task InitializeAsync()
    {
        var crowd = Enumerable.Range(1, LabPerson.TokenGroupLimit + 1).Select(i => $"team-{i:D3}").ToList();
        _issuer = await LabIdentityProvider.StartAsync(new LabIdentityOptions
        {
            People = [.. LabPerson.Defaults, new LabPerson("erin", "Erin Eriksen", crowd), new LabPerson("frank", "Frank Fischer", ["change-board"]) { GroupOverage = true }],
        });
        _issuer.Register(new LabClient { ClientId = "page", ClientSecret = "page-secret", RedirectUris = [], ApplicationPermissions = ["GroupMember.Read.All"] });
        _issuer.Register(new LabClient { ClientId = "public-app", RedirectUris = [] });
    }

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task A_confidential_client_gets_an_app_only_token_for_Graph_whose_roles_are_its_granted_application_permissions()
    {
        var response = await AppTokens.RequestAsync(_issuer, "page", "page-secret");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        response.StatusCode.Should().Be(HttpStatusCode.OK, body.ToJsonString());
        body["token_type"]!.GetValue<string>().Should().Be("Bearer");
        body["expires_in"]!.GetValue<int>().Should().Be(3600);
        var claims = AppTokens.Payload(body["access_token"]!.GetValue<string>());
        claims["aud"]!.GetValue<string>().Should().Be("https://graph.microsoft.com");
        claims["appid"]!.GetValue<string>().Should().Be("page");
        claims["idtyp"]!.GetValue<string>().Should().Be("app");
        claims["tid"]!.GetValue<string>().Should().Be(_issuer.TenantId.ToString());
        claims["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("GroupMember.Read.All");
        claims.ContainsKey("preferred_username").Should().BeFalse("an app-only token names no person");
        (await AppTokens.RequestAsync(_issuer, "page", "page-secret", "00000003-0000-0000-c000-000000000000/.default")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_grant_refuses_a_wrong_secret_a_public_client_a_scope_without_default_and_an_unknown_resource()
    {
        var wrongSecret = await AppTokens.RequestAsync(_issuer, "page", "not-the-secret");
        var publicClient = await AppTokens.RequestAsync(_issuer, "public-app", secret: null);
        var notDefault = await AppTokens.RequestAsync(_issuer, "page", "page-secret", "https://graph.microsoft.com/GroupMember.Read.All");
        var unknown = await AppTokens.RequestAsync(_issuer, "page", "page-secret", "api://nobody/.default");

        wrongSecret.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await wrongSecret.Content.ReadAsStringAsync()).Should().Contain("invalid_client").And.NotContain("not-the-secret");
        publicClient.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await publicClient.Content.ReadAsStringAsync()).Should().Contain("AADSTS7000218");
        notDefault.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await notDefault.Content.ReadAsStringAsync()).Should().Contain("invalid_scope").And.Contain("/.default");
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("AADSTS500011");
    }

    [Fact]
    public async Task Discovery_lists_the_client_credentials_grant()
    {
        using var http = new HttpClient();
        var discovery = JsonNode.Parse(await http.GetStringAsync(_issuer.Authority + "/.well-known/openid-configuration"))!;

        discovery["grant_types_supported"]!.AsArray().Select(g => g!.GetValue<string>()).Should().Equal("authorization_code", "client_credentials");
    }

    [Theory]
    [InlineData("erin")]
    [InlineData("frank")]
    public void A_person_in_more_than_200_groups_or_marked_for_overage_gets_the_overage_form_instead_of_a_groups_claim(string person)
    {
        var claims = AppTokens.Payload(_issuer.IssueAccessToken(new LabTokenRequest { UserName = person }));

        var oid = _issuer.People.Single(p => p.UserName == person).ObjectId;
        claims.ContainsKey("groups").Should().BeFalse();
        claims["_claim_names"]!.ToJsonString().Should().Be("""{"groups":"src1"}""");
        claims["_claim_sources"]!["src1"]!["endpoint"]!.GetValue<string>().Should().Be($"https://graph.windows.net/{_issuer.TenantId}/users/{oid}/getMemberObjects");
        AppTokens.Payload(_issuer.IssueAccessToken(new LabTokenRequest { UserName = "bob" }))["groups"]!.AsArray().Select(g => g!.GetValue<string>()).Should().Equal("change-board");
    }
}
