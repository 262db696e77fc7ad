using MdiFlow.Plugins.DefenderForIdentity.Roles;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Graph;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Roles;

public sealed class CheckAdminRoleActivityTests : GraphFixture
{
    private const string UserId = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
    private const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
    private const string SecurityAdministrator = "194ae4cb-b126-40b2-bd5b-6091b380977d";
    private const string Assignments = $"/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '{UserId}'";

    [Fact]
    public async Task A_direct_tenant_wide_security_administrator_assignment_passes()
    {
        Graph.On("/v1.0/me", Answer.Json(GraphJson.Me))
            .On(Assignments, Answer.Json(GraphJson.RoleAssignments(("88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "/"), (SecurityAdministrator, "/"))));

        var output = (await Activity<CheckAdminRoleActivity>().RunAsync(new { })).ShouldComplete<CheckAdminRoleOutput>();

        output.Should().BeEquivalentTo(new CheckAdminRoleOutput { PrincipalId = UserId, Role = "Security Administrator", RoleTemplateId = SecurityAdministrator, Source = "roleAssignments" });
    }

    [Fact]
    public async Task An_activated_global_administrator_role_among_member_of_passes()
    {
        Graph.On("/v1.0/me", Answer.Json(GraphJson.Me))
            .On(Assignments, Answer.Json(GraphJson.RoleAssignments()))
            .On("/v1.0/me/memberOf", Answer.Json(GraphJson.MemberOf(
                GraphJson.Group("0b8c3a0f-45e3-4a57-8f2f-8a4a1d7d0a11", "Tier 0 admins"),
                GraphJson.DirectoryRole("ae2b7b52-5a61-4b2b-9d6d-6a2b4c0e8f03", GlobalAdministrator, "Global Administrator"))));

        var output = (await Activity<CheckAdminRoleActivity>().RunAsync(new { })).ShouldComplete<CheckAdminRoleOutput>();

        output.Role.Should().Be("Global Administrator");
        output.Source.Should().Be("memberOf");
    }

    [Fact]
    public async Task A_directory_role_whose_id_is_the_global_administrator_template_but_whose_template_differs_is_rejected()
    {
        Graph.On("/v1.0/me", Answer.Json(GraphJson.Me))
            .On(Assignments, Answer.Json(GraphJson.RoleAssignments()))
            .On("/v1.0/me/memberOf", Answer.Json(GraphJson.MemberOf(
                GraphJson.DirectoryRole(GlobalAdministrator, "f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader"))));

        var error = (await Activity<CheckAdminRoleActivity>().RunAsync(new { })).ShouldFail("mdi.noAdminRole");

        error.Message.Should().Contain("The directory role 'Global Reader' has the id 62e90394-69f5-4237-9190-012177145e10 (the template id of Global Administrator) but its roleTemplateId is f2ef992c-3afb-46b9-b7cf-a126ee74c451");
    }

    [Fact]
    public async Task The_failure_says_security_administrator_suffices_and_that_group_assignments_are_not_seen()
    {
        Graph.On("/v1.0/me", Answer.Json(GraphJson.Me))
            .On(Assignments, Answer.Json(GraphJson.RoleAssignments()))
            .On("/v1.0/me/memberOf", Answer.Json(GraphJson.MemberOf()));

        var error = (await Activity<CheckAdminRoleActivity>().RunAsync(new { })).ShouldFail("mdi.noAdminRole");

        error.Message.Should().StartWith("The account adele@contoso.com holds neither Security Administrator (194ae4cb-b126-40b2-bd5b-6091b380977d) nor Global Administrator (62e90394-69f5-4237-9190-012177145e10) as a direct, tenant-wide role.")
            .And.Contain("Current documentation needs at least Security Administrator")
            .And.Contain("through a group (transitive assignments)");
        error.Fix.Should().Contain("Security Administrator").And.Contain("skip this step");
    }

    [Fact]
    public async Task An_assignment_scoped_to_an_administrative_unit_does_not_count()
    {
        Graph.On(Assignments, Answer.Json(GraphJson.RoleAssignments((SecurityAdministrator, "/administrativeUnits/5d107bba-d8e2-4e13-b6ae-884be90e5d1a"))))
            .On($"/v1.0/users/{UserId}/memberOf", Answer.Json(GraphJson.MemberOf()));

        var error = (await Activity<CheckAdminRoleActivity>().RunAsync(new { userId = UserId })).ShouldFail("mdi.noAdminRole");

        error.Message.Should().Contain("Security Administrator is assigned only at the scope /administrativeUnits/5d107bba-d8e2-4e13-b6ae-884be90e5d1a, not tenant-wide.");
    }

    [Fact]
    public async Task A_user_principal_name_is_looked_up_to_filter_by_object_id()
    {
        Graph.On("/v1.0/users/adele@contoso.com", Answer.Json(GraphJson.Me))
            .On(Assignments, Answer.Json(GraphJson.RoleAssignments((GlobalAdministrator, "/"))));

        var output = (await Activity<CheckAdminRoleActivity>().RunAsync(new { userId = "adele@contoso.com" })).ShouldComplete<CheckAdminRoleOutput>();

        output.PrincipalId.Should().Be(UserId);
        output.Role.Should().Be("Global Administrator");
    }

    [Fact]
    public async Task When_role_assignments_are_refused_the_memberships_decide()
    {
        Graph.On("/v1.0/me", Answer.Json(GraphJson.Me))
            .On(Assignments, Answer.GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."))
            .On("/v1.0/me/memberOf", Answer.Json(GraphJson.MemberOf(GraphJson.DirectoryRole("9a1f0f1e-1111-4c3b-a1f2-99d0e0d2b7aa", SecurityAdministrator, "Security Administrator"))));

        var output = (await Activity<CheckAdminRoleActivity>().RunAsync(new { })).ShouldComplete<CheckAdminRoleOutput>();

        output.Role.Should().Be("Security Administrator");
    }

    [Fact]
    public async Task When_both_calls_are_refused_the_failure_names_both_permissions()
    {
        Graph.On("/v1.0/me", Answer.Json(GraphJson.Me))
            .On(Assignments, Answer.GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."))
            .On("/v1.0/me/memberOf", Answer.GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));

        var error = (await Activity<CheckAdminRoleActivity>().RunAsync(new { })).ShouldFail("graph.accessDenied");

        error.Message.Should().Contain("RoleManagement.Read.Directory").And.Contain("User.Read (the least privileged, delegated only; GroupMember.Read.All or Directory.Read.All also allow it)");
    }
}
