using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MdiFlow.Lab.Identity;

namespace MdiFlow.Lab.Tests.Identity;

public sealed class LabDirectoryGraphTests : IAsyncLifetime
{
    private static readonly LabPerson Erin = new("erin", "Erin Eriksen", ["operators", "dc-admins", "change-board"]) { GroupOverage = true };

    private LabIdentityProvider _issuer = null!;
    private LabDirectoryGraph _graph = null!;

    public async Task InitializeAsync()
    {
        _issuer = await LabIdentityProvider.StartAsync(new LabIdentityOptions { People = [.. LabPerson.Defaults, Erin] });
        _graph = await LabDirectoryGraph.StartAsync(_issuer, new LabDirectoryGraphOptions { MaxPageSize = 2 });
        _issuer.Register(new LabClient { ClientId = "page", ClientSecret = "s1", RedirectUris = [], ApplicationPermissions = ["GroupMember.Read.All"] });
        _issuer.Register(new LabClient { ClientId = "no-consent", ClientSecret = "s2", RedirectUris = [] });
        _issuer.Register(new LabClient { ClientId = "users-only", ClientSecret = "s3", RedirectUris = [], ApplicationPermissions = ["User.Read.All"] });
    }

    public async Task DisposeAsync()
    {
        await _graph.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task The_groups_cast_lists_the_persons_groups_with_the_selected_properties_and_pages_with_a_next_link()
    {
        using var http = await ClientAsync("page", "s1");

        var first = await GetAsync(http, new Uri(_graph.BaseUrl, $"users/{Erin.ObjectId}/transitiveMemberOf/microsoft.graph.group?$select=id,displayName&$top=999"));
        var next = first["@odata.nextLink"]!.GetValue<string>();
        var second = await GetAsync(http, new Uri(next));

        first["@odata.context"]!.GetValue<string>().Should().Be("https://graph.microsoft.com/v1.0/$metadata#groups(id,displayName)");
        first["value"]!.ToJsonString().Should().Be(
            $$"""[{"id":"{{LabDirectoryGraph.GroupId("operators")}}","displayName":"operators"},{"id":"{{LabDirectoryGraph.GroupId("dc-admins")}}","displayName":"dc-admins"}]""");
        next.Should().StartWith(new Uri(_graph.BaseUrl, $"users/{Erin.ObjectId}/transitiveMemberOf/microsoft.graph.group?").ToString()).And.Contain("$skiptoken=");
        second["value"]!.AsArray().Select(g => g!["displayName"]!.GetValue<string>()).Should().Equal("change-board");
        second.ContainsKey("@odata.nextLink").Should().BeFalse();
        _graph.Requests.Select(r => r.Status).Should().Equal(200, 200);
    }

    [Fact]
    public async Task Without_a_cast_the_memberships_are_directory_objects_typed_as_groups_and_a_user_principal_name_finds_the_person()
    {
        using var http = await ClientAsync("page", "s1");

        var page = await GetAsync(http, new Uri(_graph.BaseUrl, $"users/{Erin.UserPrincipalName}/transitiveMemberOf"));

        page["@odata.context"]!.GetValue<string>().Should().Be("https://graph.microsoft.com/v1.0/$metadata#directoryObjects");
        var group = page["value"]![0]!;
        group["@odata.type"]!.GetValue<string>().Should().Be("#microsoft.graph.group");
        group["securityEnabled"]!.GetValue<bool>().Should().BeTrue();
        group["displayName"]!.GetValue<string>().Should().Be("operators");
    }

    [Fact]
    public async Task Without_a_valid_app_token_for_Graph_it_answers_401_InvalidAuthenticationToken()
    {
        var url = new Uri(_graph.BaseUrl, $"users/{Erin.ObjectId}/transitiveMemberOf/microsoft.graph.group");
        await using var other = await LabIdentityProvider.StartAsync(new LabIdentityOptions());
        other.Register(new LabClient { ClientId = "page", ClientSecret = "s1", RedirectUris = [], ApplicationPermissions = ["GroupMember.Read.All"] });
        var apiToken = JsonNode.Parse(await (await AppTokens.RequestAsync(_issuer, "page", "s1", "api://mdiflow/.default")).Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();

        foreach (var (token, message) in new (string?, string)[]
        {
            (null, "Access token is empty."),
            ("not-a-token", "Access token validation failure. Invalid signature."),
            (await AppTokens.ForGraphAsync(other, "page", "s1"), "Access token validation failure. Invalid signature."),
            (apiToken, "Access token validation failure. Invalid audience."),
        })
        {
            using var http = new HttpClient();
            if (token is not null)
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            var response = await http.GetAsync(url);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            response.Headers.WwwAuthenticate.ToString().Should().StartWith("Bearer");
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
            error["code"]!.GetValue<string>().Should().Be("InvalidAuthenticationToken");
            error["message"]!.GetValue<string>().Should().Be(message);
        }
    }

    [Fact]
    public async Task An_app_without_a_membership_permission_gets_403_and_with_only_User_Read_All_the_groups_come_with_their_ids_alone()
    {
        using var denied = await ClientAsync("no-consent", "s2");
        using var usersOnly = await ClientAsync("users-only", "s3");
        var url = new Uri(_graph.BaseUrl, $"users/{Erin.ObjectId}/transitiveMemberOf/microsoft.graph.group?$select=id,displayName");

        var refused = await denied.GetAsync(url);
        var limited = await GetAsync(usersOnly, url);

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        error["code"]!.GetValue<string>().Should().Be("Authorization_RequestDenied");
        error["message"]!.GetValue<string>().Should().Be("Insufficient privileges to complete the operation.");
        error["innerError"]!["request-id"]!.GetValue<string>().Should().Be(refused.Headers.GetValues("request-id").Single());
        limited["value"]![0]!.ToJsonString().Should().Be($$"""{"id":"{{LabDirectoryGraph.GroupId("operators")}}","displayName":null}""");
    }

    [Fact]
    public async Task Told_to_throttle_it_answers_429_with_Retry_After_for_that_many_requests_then_answers_again()
    {
        using var http = await ClientAsync("page", "s1");
        var url = new Uri(_graph.BaseUrl, $"users/{Erin.ObjectId}/transitiveMemberOf/microsoft.graph.group");
        _graph.Throttle(1, TimeSpan.FromSeconds(7));

        var throttled = await http.GetAsync(url);
        var after = await http.GetAsync(url);

        throttled.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(7));
        JsonNode.Parse(await throttled.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>().Should().Be("TooManyRequests");
        after.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Tokens_it_was_told_to_revoke_get_401_and_a_new_token_from_the_issuer_works()
    {
        using var old = await ClientAsync("page", "s1");
        var url = new Uri(_graph.BaseUrl, $"users/{Erin.ObjectId}/transitiveMemberOf/microsoft.graph.group");
        (await old.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.OK);
        _graph.RevokeTokensSeen();
        using var fresh = await ClientAsync("page", "s1");

        var refused = await old.GetAsync(url);
        var accepted = await fresh.GetAsync(url);

        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>().Should().Be("Access token has expired or is not yet valid.");
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_unknown_user_is_404_and_an_unknown_property_in_select_is_400()
    {
        using var http = await ClientAsync("page", "s1");

        var unknown = await http.GetAsync(new Uri(_graph.BaseUrl, $"users/{Guid.Empty}/transitiveMemberOf/microsoft.graph.group"));
        var badSelect = await http.GetAsync(new Uri(_graph.BaseUrl, $"users/{Erin.ObjectId}/transitiveMemberOf/microsoft.graph.group?$select=id,shoeSize"));

        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("Request_ResourceNotFound");
        badSelect.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(await badSelect.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>()
            .Should().Be("Could not find a property named 'shoeSize' on type 'microsoft.graph.group'.");
    }

    private async Task<HttpClient> ClientAsync(string clientId, string secret)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AppTokens.ForGraphAsync(_issuer, clientId, secret));
        return http;
    }

    private static async Task<JsonObject> GetAsync(HttpClient http, Uri url)
    {
        var response = await http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }
}
