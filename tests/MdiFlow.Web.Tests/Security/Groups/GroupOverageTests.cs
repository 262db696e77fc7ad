using System.Security.Claims;
using MdiFlow.Web.Security.Groups;

namespace MdiFlow.Web.Tests.Security.Groups;

public sealed class GroupOverageTests
{
    [Fact]
    public void A_token_naming_groups_in_claim_names_or_saying_hasgroups_overflowed()
    {
        GroupOverage.Applies(Principal(("_claim_names", """{"groups":"src1"}"""), ("_claim_sources", """{"src1":{"endpoint":"https://graph.windows.net/t/users/o/getMemberObjects"}}""")), "groups").Should().BeTrue();
        GroupOverage.Applies(Principal(("hasgroups", "true")), "groups").Should().BeTrue();
    }

    [Fact]
    public void A_token_with_its_groups_claim_or_with_neither_form_did_not_overflow()
    {
        GroupOverage.Applies(Principal(("groups", "change-board"), ("hasgroups", "true")), "groups").Should().BeFalse("the groups are there");
        GroupOverage.Applies(Principal(("name", "Frank")), "groups").Should().BeFalse("no groups claim and no overage: no groups");
        GroupOverage.Applies(Principal(("_claim_names", """{"roles":"src1"}""")), "groups").Should().BeFalse("another claim overflowed");
        GroupOverage.Applies(Principal(("_claim_names", "not json")), "groups").Should().BeFalse();
        GroupOverage.Applies(Principal(("hasgroups", "false")), "groups").Should().BeFalse();
    }

    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));
}
