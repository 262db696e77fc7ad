using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MdiFlow.Lab.Servers;
using MdiFlow.Lab.Tests.Support;

namespace MdiFlow.Lab.Tests.Servers.Graph;

public sealed class GraphServerTests
{
    private const string UserId = "5bde3e51-d13b-4db1-9948-fe4b109d11a7";
    private const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
    private const string SecurityAdministrator = "194ae4cb-b126-40b2-bd5b-6091b380977d";
    private const string GlobalReader = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
    private const string Denied = "Insufficient privileges to complete the operation.";

    [Fact]
    public async Task Me_answers_with_the_signed_in_user_in_graphs_shape()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");

        var (status, body, response) = await test.Graph().GetJsonAsync("v1.0/me");

        status.Should().Be(200);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        response.Headers.GetValues("request-id").Should().ContainSingle();
        body.Keys().Should().Equal("@odata.context", "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id");
        body["@odata.context"]!.GetValue<string>().Should().Be("https://graph.microsoft.com/v1.0/$metadata#users/$entity");
        body["id"]!.GetValue<string>().Should().Be(UserId);
        body["userPrincipalName"]!.GetValue<string>().Should().Be("megan.admin@contoso.onmicrosoft.com");
    }

    [Fact]
    public async Task SubscribedSkus_lists_the_tenants_skus_with_their_service_plans()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");

        var (status, body, _) = await test.Graph().GetJsonAsync("v1.0/subscribedSkus");

        status.Should().Be(200);
        body["@odata.context"]!.GetValue<string>().Should().Be("https://graph.microsoft.com/v1.0/$metadata#subscribedSkus");
        var sku = body["value"]!.AsArray().Should().ContainSingle().Subject!;
        sku.Keys().Should().Equal("accountName", "accountId", "appliesTo", "capabilityStatus", "consumedUnits", "id", "prepaidUnits", "servicePlans", "skuId", "skuPartNumber", "subscriptionIds");
        sku["skuPartNumber"]!.GetValue<string>().Should().Be("EMSPREMIUM");
        sku["capabilityStatus"]!.GetValue<string>().Should().Be("Enabled");
        sku["servicePlans"]!.AsArray().Should().Contain(p =>
            p!["servicePlanId"]!.GetValue<string>() == "14ab5db5-e6c4-4b20-b4bc-13e36fd2227f" &&
            p["servicePlanName"]!.GetValue<string>() == "ATA" &&
            p["provisioningStatus"]!.GetValue<string>() == "Success");
    }

    [Fact]
    public async Task LicenseDetails_lists_the_users_licences_by_id_upn_or_me_and_404s_an_unknown_user()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var graph = test.Graph();

        foreach (var path in new[] { $"v1.0/users/{UserId}/licenseDetails", "v1.0/users/megan.admin@contoso.onmicrosoft.com/licenseDetails", "v1.0/me/licenseDetails" })
        {
            var (status, body, _) = await graph.GetJsonAsync(path);
            status.Should().Be(200, path);
            body["@odata.context"]!.GetValue<string>().Should().Be($"https://graph.microsoft.com/v1.0/$metadata#users('{UserId}')/licenseDetails");
            var licence = body["value"]!.AsArray().Should().ContainSingle().Subject!;
            licence.Keys().Should().Equal("id", "skuId", "skuPartNumber", "servicePlans");
            licence["servicePlans"]!.AsArray().Should().Contain(p => p!["servicePlanName"]!.GetValue<string>() == "ATA");
        }

        var (missing, error, _) = await graph.GetJsonAsync("v1.0/users/00000000-0000-0000-0000-000000000001/licenseDetails");
        missing.Should().Be(404);
        error["error"]!["code"]!.GetValue<string>().Should().Be("Request_ResourceNotFound");
    }

    [Fact]
    public async Task RoleAssignments_honour_the_principal_filter_so_a_group_based_assignment_is_not_the_users()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var graph = test.Graph();

        var (status, body, _) = await graph.GetJsonAsync($"v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '{UserId}'");

        status.Should().Be(200);
        body["@odata.context"]!.GetValue<string>().Should().Be("https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignments");
        var assignment = body["value"]!.AsArray().Should().ContainSingle().Subject!;
        assignment.Keys().Should().Equal("id", "principalId", "resourceScope", "directoryScopeId", "roleDefinitionId");
        assignment["roleDefinitionId"]!.GetValue<string>().Should().Be(GlobalAdministrator);
        assignment["principalId"]!.GetValue<string>().Should().Be(UserId);
        assignment["id"]!.GetValue<string>().Should().StartWith("lAPpYvVpN0KRkAEhdxReE").And.EndWith("-1");

        var (_, all, _) = await graph.GetJsonAsync($"v1.0/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '{SecurityAdministrator}'");
        all["value"]!.AsArray().Should().ContainSingle().Which!["principalId"]!.GetValue<string>().Should().NotBe(UserId);
    }

    [Fact]
    public async Task An_unsupported_filter_is_a_400_naming_the_property()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");

        var (status, body, _) = await test.Graph().GetJsonAsync("v1.0/roleManagement/directory/roleAssignments?$filter=userId eq 'x'");

        status.Should().Be(400);
        body["error"]!["message"]!.GetValue<string>().Should().Be("Invalid filter clause: Could not find a property named 'userId' on type 'microsoft.graph.unifiedRoleAssignment'.");
    }

    [Fact]
    public async Task MemberOf_returns_directory_roles_with_their_template_ids_in_pages_linked_by_odata_nextLink()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var graph = test.Graph();

        var (_, first, _) = await graph.GetJsonAsync("v1.0/me/memberOf");
        var next = first["@odata.nextLink"]!.GetValue<string>();
        var (_, second, _) = await graph.GetJsonAsync(next);

        first["@odata.context"]!.GetValue<string>().Should().Be("https://graph.microsoft.com/v1.0/$metadata#directoryObjects");
        first["value"]!.AsArray().Should().HaveCount(2);
        next.Should().StartWith(test.Lab.GraphBaseAddress + "v1.0/me/memberOf?").And.Contain("$skiptoken=");
        second["value"]!.AsArray().Should().ContainSingle();
        second.ContainsKey("@odata.nextLink").Should().BeFalse();
        var role = first["value"]![0]!;
        role.Keys().Should().Equal("@odata.type", "id", "deletedDateTime", "description", "displayName", "roleTemplateId");
        role["@odata.type"]!.GetValue<string>().Should().Be("#microsoft.graph.directoryRole");
        role["roleTemplateId"]!.GetValue<string>().Should().Be(GlobalAdministrator);
        first["value"]![1]!["@odata.type"]!.GetValue<string>().Should().Be("#microsoft.graph.group");
    }

    [Fact]
    public async Task GetDeploymentAccessKey_answers_the_key_and_regenerate_replaces_it()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var graph = test.Graph();

        var (status, body, _) = await graph.GetJsonAsync("v1.0/security/identities/sensors/getDeploymentAccessKey");
        var (regenerated, fresh, _) = await graph.PostJsonAsync("v1.0/security/identities/sensors/regenerateDeploymentAccessKey");
        var (_, after, _) = await graph.GetJsonAsync("v1.0/security/identities/sensors/getDeploymentAccessKey()");

        status.Should().Be(200);
        body.Keys().Should().Equal("@odata.context", "deploymentAccessKey");
        body["@odata.context"]!.GetValue<string>().Should().Be("https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.deploymentAccessKeyType");
        body["deploymentAccessKey"]!.GetValue<string>().Should().Be(test.Lab.Profile.Tenant.DeploymentAccessKey);
        regenerated.Should().Be(200);
        fresh["deploymentAccessKey"]!.GetValue<string>().Should().NotBe(test.Lab.Profile.Tenant.DeploymentAccessKey);
        after["deploymentAccessKey"]!.GetValue<string>().Should().Be(fresh["deploymentAccessKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_request_without_the_lab_token_is_a_401_InvalidAuthenticationToken()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        using var anonymous = new HttpClient { BaseAddress = test.Lab.GraphBaseAddress };
        using var forged = new HttpClient { BaseAddress = test.Lab.GraphBaseAddress };
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-lab-token");

        var (status, body, response) = await anonymous.GetJsonAsync("v1.0/me");
        var (forgedStatus, forgedBody, _) = await forged.GetJsonAsync("v1.0/me");

        status.Should().Be(401);
        response.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
        body["error"]!["code"]!.GetValue<string>().Should().Be("InvalidAuthenticationToken");
        body["error"]!["message"]!.GetValue<string>().Should().Be("Access token is empty.");
        forgedStatus.Should().Be(401);
        forgedBody["error"]!["code"]!.GetValue<string>().Should().Be("InvalidAuthenticationToken");
    }

    [Fact]
    public async Task A_missing_permission_is_a_403_that_names_no_permission_as_graphs_does()
    {
        await using var test = await TestLab.StartAsync("healthy-dc", p => p["tenant"]!["grantedPermissions"] = new JsonArray("User.Read"));
        var graph = test.Graph();
        graph.DefaultRequestHeaders.Add("client-request-id", "6a4f9d1e-0000-4000-8000-000000000001");

        var (status, body, response) = await graph.GetJsonAsync("v1.0/subscribedSkus");
        var (keyStatus, _, _) = await graph.GetJsonAsync("v1.0/security/identities/sensors/getDeploymentAccessKey");
        var (meStatus, _, _) = await graph.GetJsonAsync("v1.0/me");

        status.Should().Be(403);
        keyStatus.Should().Be(403);
        meStatus.Should().Be(200);
        var error = body["error"]!;
        error.Keys().Should().Equal("code", "message", "innerError");
        error["code"]!.GetValue<string>().Should().Be("Authorization_RequestDenied");
        error["message"]!.GetValue<string>().Should().Be(Denied);
        error["innerError"].Keys().Should().Equal("date", "request-id", "client-request-id");
        error["innerError"]!["client-request-id"]!.GetValue<string>().Should().Be("6a4f9d1e-0000-4000-8000-000000000001");
        error["innerError"]!["request-id"]!.GetValue<string>().Should().Be(response.Headers.GetValues("request-id").Single());
        body.ToJsonString().Should().NotContain("Organization").And.NotContain("Directory.");
    }

    [Fact]
    public async Task No_licence_lists_skus_none_of_which_holds_the_ATA_plan()
    {
        await using var test = await TestLab.StartAsync("no-licence");
        var graph = test.Graph();

        var (_, skus, _) = await graph.GetJsonAsync("v1.0/subscribedSkus");
        var (_, licences, _) = await graph.GetJsonAsync("v1.0/me/licenseDetails");

        skus["value"]!.AsArray().Select(s => s!["skuPartNumber"]!.GetValue<string>()).Should().Equal("ENTERPRISEPACK", "EMS");
        skus.ToJsonString().Should().NotContain("14ab5db5-e6c4-4b20-b4bc-13e36fd2227f");
        licences.ToJsonString().Should().NotContain("\"ATA\"");
    }

    [Fact]
    public async Task Reader_role_only_shows_the_decoy_role_and_refuses_the_access_key()
    {
        await using var test = await TestLab.StartAsync("reader-role-only");
        var graph = test.Graph();

        var (_, memberOf, _) = await graph.GetJsonAsync("v1.0/me/memberOf");
        var (_, assignments, _) = await graph.GetJsonAsync($"v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '{UserId}'");
        var (keyStatus, key, _) = await graph.GetJsonAsync("v1.0/security/identities/sensors/getDeploymentAccessKey");

        var decoy = memberOf["value"]!.AsArray().Single(m => m!["@odata.type"]!.GetValue<string>() == "#microsoft.graph.directoryRole")!;
        decoy["id"]!.GetValue<string>().Should().Be(GlobalAdministrator);
        decoy["roleTemplateId"]!.GetValue<string>().Should().Be(GlobalReader);
        assignments["value"]!.AsArray().Should().ContainSingle().Which!["roleDefinitionId"]!.GetValue<string>().Should().Be(GlobalReader);
        keyStatus.Should().Be(403);
        key["error"]!["message"]!.GetValue<string>().Should().Be(Denied);
    }

    [Fact]
    public async Task A_flaky_network_answers_429_with_Retry_After_one_second_before_answering()
    {
        await using var test = await TestLab.StartAsync("flaky-network");
        var graph = test.Graph();

        var first = await graph.GetJsonAsync("v1.0/me");
        var second = await graph.GetJsonAsync("v1.0/me");
        var third = await graph.GetJsonAsync("v1.0/me");
        var otherRoute = await graph.GetJsonAsync("v1.0/subscribedSkus");

        first.Status.Should().Be(429);
        first.Response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        first.Body["error"]!["code"]!.GetValue<string>().Should().Be("TooManyRequests");
        second.Status.Should().Be(429);
        third.Status.Should().Be(200);
        otherRoute.Status.Should().Be(429);
        test.Lab.Requests.Where(r => r.Server == LabServer.Graph).Select(r => r.Status).Should().Equal(429, 429, 200, 429);
    }

    [Fact]
    public async Task Unknown_segments_versions_and_methods_get_graphs_errors()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var graph = test.Graph();

        var (segment, segmentBody, _) = await graph.GetJsonAsync("v1.0/me/manager/reports");
        var (version, versionBody, _) = await graph.GetJsonAsync("v3.0/me");
        var (method, methodBody, _) = await graph.PostJsonAsync("v1.0/me");

        segment.Should().Be(400);
        segmentBody["error"]!["message"]!.GetValue<string>().Should().Be("Resource not found for the segment 'manager'.");
        version.Should().Be(400);
        versionBody["error"]!["message"]!.GetValue<string>().Should().Be("Invalid version: v3.0");
        method.Should().Be(405);
        methodBody["error"]!["code"]!.GetValue<string>().Should().Be("Request_BadRequest");
    }

    [Theory]
    [InlineData("GET", "v1.0/me")]
    [InlineData("GET", "v1.0/subscribedSkus")]
    [InlineData("GET", "v1.0/users/" + UserId + "/licenseDetails")]
    [InlineData("GET", "v1.0/me/licenseDetails")]
    [InlineData("GET", "v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '" + UserId + "'")]
    [InlineData("GET", "v1.0/me/memberOf")]
    [InlineData("GET", "v1.0/security/identities/sensors/getDeploymentAccessKey")]
    [InlineData("POST", "v1.0/security/identities/sensors/regenerateDeploymentAccessKey")]
    public async Task Every_route_needs_one_of_its_documented_permissions(string method, string path)
    {
        await using var test = await TestLab.StartAsync("healthy-dc", p => p["tenant"]!["grantedPermissions"] = new JsonArray());

        var (status, body, _) = method == "GET" ? await test.Graph().GetJsonAsync(path) : await test.Graph().PostJsonAsync(path);

        status.Should().Be(403);
        body["error"]!["code"]!.GetValue<string>().Should().Be("Authorization_RequestDenied");
        body["error"]!["message"]!.GetValue<string>().Should().Be(Denied);
    }

    [Fact]
    public async Task Top_limits_the_page_and_the_nextLink_keeps_the_filter()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");
        var graph = test.Graph();

        var (_, first, _) = await graph.GetJsonAsync("v1.0/roleManagement/directory/roleAssignments?$filter=directoryScopeId eq '/'&$top=1");
        var (_, second, _) = await graph.GetJsonAsync(first["@odata.nextLink"]!.GetValue<string>());

        first["value"]!.AsArray().Should().ContainSingle().Which!["roleDefinitionId"]!.GetValue<string>().Should().Be(GlobalAdministrator);
        Uri.UnescapeDataString(first["@odata.nextLink"]!.GetValue<string>()).Should().Contain("$filter=directoryScopeId eq '/'").And.Contain("$top=1");
        second["value"]!.AsArray().Should().ContainSingle().Which!["roleDefinitionId"]!.GetValue<string>().Should().Be(SecurityAdministrator);
        second.ContainsKey("@odata.nextLink").Should().BeFalse();
    }
}
