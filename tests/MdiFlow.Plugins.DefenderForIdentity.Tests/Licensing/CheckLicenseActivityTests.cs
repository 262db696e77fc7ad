using MdiFlow.Plugins.DefenderForIdentity.Licensing;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Graph;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Licensing;

public sealed class CheckLicenseActivityTests : GraphFixture
{
    [Fact]
    public async Task A_tenant_with_ems_e5_is_licensed_and_the_output_names_the_sku()
    {
        Graph.On("/v1.0/subscribedSkus", Answer.Json(GraphJson.SubscribedSkus(GraphJson.Sku("SPE_E3", withAta: false), GraphJson.Sku("EMSPREMIUM"))));

        var output = (await Activity<CheckLicenseActivity>().RunAsync(new { })).ShouldComplete<CheckLicenseOutput>();

        output.Should().BeEquivalentTo(new CheckLicenseOutput
        {
            Licensed = true,
            Sku = "EMSPREMIUM",
            SkuId = "b05e124f-c7cc-45a0-a6aa-8cf78c946968",
            ServicePlanId = "14ab5db5-e6c4-4b20-b4bc-13e36fd2227f",
            Scope = "tenant",
        });
    }

    [Fact]
    public async Task A_suspended_subscription_does_not_count_and_the_failure_names_the_skus_that_include_mdi()
    {
        Graph.On("/v1.0/subscribedSkus", Answer.Json(GraphJson.SubscribedSkus(GraphJson.Sku("SPE_E3", withAta: false), GraphJson.Sku("SPE_E5", capabilityStatus: "Suspended"))));

        var error = (await Activity<CheckLicenseActivity>().RunAsync(new { })).ShouldFail("mdi.noLicense");

        error.Message.Should().Be("The tenant holds no licence that grants Microsoft Defender for Identity (service plan ATA, 14ab5db5-e6c4-4b20-b4bc-13e36fd2227f, provisioned and enabled). SPE_E5 includes it, but the subscription's capabilityStatus is Suspended.");
        error.Fix.Should().ContainAll("EMSPREMIUM", "SPE_E5", "DEVELOPERPACK_E5", "(ATA)");
        error.Permanent.Should().BeTrue();
    }

    [Fact]
    public async Task A_subscription_without_units_does_not_count()
    {
        Graph.On("/v1.0/subscribedSkus", Answer.Json(GraphJson.SubscribedSkus(GraphJson.Sku("ATA", enabledUnits: 0, consumed: 0))));

        var error = (await Activity<CheckLicenseActivity>().RunAsync(new { })).ShouldFail("mdi.noLicense");

        error.Message.Should().Contain("ATA includes it, but the subscription has no enabled or consumed units.");
    }

    [Fact]
    public async Task A_user_with_the_developer_pack_is_licensed()
    {
        Graph.On("/v1.0/users/adele@contoso.com/licenseDetails", Answer.Json(GraphJson.LicenseDetails("DEVELOPERPACK_E5", "Success")));

        var output = (await Activity<CheckLicenseActivity>().RunAsync(new { userId = "adele@contoso.com" })).ShouldComplete<CheckLicenseOutput>();

        output.Sku.Should().Be("DEVELOPERPACK_E5");
        output.Scope.Should().Be("user");
        output.UserId.Should().Be("adele@contoso.com");
    }

    [Fact]
    public async Task A_user_whose_plan_is_turned_off_is_not_licensed()
    {
        Graph.On("/v1.0/users/adele@contoso.com/licenseDetails", Answer.Json(GraphJson.LicenseDetails("SPE_E5", "Disabled")));

        var error = (await Activity<CheckLicenseActivity>().RunAsync(new { userId = "adele@contoso.com" })).ShouldFail("mdi.noLicense");

        error.Message.Should().StartWith("The user adele@contoso.com holds no licence").And.Contain("SPE_E5 includes it, but the plan is turned off in this user's assignment");
    }

    [Fact]
    public async Task A_plan_still_being_provisioned_fails_retryably()
    {
        Graph.On("/v1.0/users/adele@contoso.com/licenseDetails", Answer.Json(GraphJson.LicenseDetails("SPE_E5", "PendingActivation")));

        var error = (await Activity<CheckLicenseActivity>().RunAsync(new { userId = "adele@contoso.com" })).ShouldFail("mdi.noLicense");

        error.Permanent.Should().BeFalse();
    }

    [Fact]
    public async Task A_refused_call_is_reported_with_the_missing_permission()
    {
        Graph.On("/v1.0/subscribedSkus", Answer.GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));

        var error = (await Activity<CheckLicenseActivity>().RunAsync(new { })).ShouldFail("graph.accessDenied");

        error.Message.Should().Contain("Organization.Read.All or Directory.Read.All");
    }

    [Theory]
    [InlineData(null, "/v1.0/subscribedSkus", "LicenseAssignment.Read.All (the least privileged")]
    [InlineData("adele@contoso.com", "/v1.0/users/adele@contoso.com/licenseDetails", "LicenseAssignment.Read.All (the least privileged, delegated only")]
    public async Task A_refused_licence_call_names_the_least_privileged_permission_first(string? user, string path, string permission)
    {
        Graph.On(path, Answer.GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));

        var error = (await Activity<CheckLicenseActivity>().RunAsync(new { userId = user })).ShouldFail("graph.accessDenied");

        error.Message.Should().Contain("needs the permission " + permission);
    }
}
