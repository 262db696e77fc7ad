using System.Security.Claims;
using MdiFlow.Journal;
using MdiFlow.Web.Security;

namespace MdiFlow.Web.Tests.Security;

public sealed class WebIdentityTests
{
    private const string Issuer = "https://login.microsoftonline.com/6b1f0b57-3c4c-4f39-9d0c-6d1ab0c4d5e1/v2.0";

    [Fact]
    public void The_actor_is_the_configured_name_claim_from_oidc_with_issuer_tenant_object_id_upn_auth_time_amr_and_groups()
    {
        var user = Principal(("preferred_username", "bob"), ("upn", "bob@contoso.com"), ("oid", "0f0e"), ("tid", "6b1f"), ("auth_time", "1764580000"),
            ("amr", "pwd"), ("amr", "mfa"), ("groups", "change-board"), ("groups", "operators"), ("name", "Bob Brennan"));

        var actor = WebIdentity.ActorOf(user, new MdiFlowWebOptions());

        actor.Name.Should().Be("bob");
        actor.Source.Should().Be(ActorSources.OpenIdConnect);
        actor.Claims.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["iss"] = Issuer, ["tid"] = "6b1f", ["oid"] = "0f0e", ["upn"] = "bob@contoso.com", ["auth_time"] = "1764580000", ["amr"] = "pwd mfa",
        });
        actor.Groups.Should().Equal("change-board", "operators");
    }

    [Fact]
    public void Another_name_claim_can_be_configured_and_a_token_without_any_name_is_refused()
    {
        var user = Principal(("preferred_username", "bob"), ("upn", "bob@contoso.com"));

        WebIdentity.ActorOf(user, new MdiFlowWebOptions { NameClaim = "upn" }).Name.Should().Be("bob@contoso.com");
        var act = () => WebIdentity.ActorOf(Principal(("name", "Nobody")), new MdiFlowWebOptions());
        act.Should().Throw<UnauthorizedAccessException>().WithMessage("*no 'preferred_username', 'upn' or 'oid' claim*");
    }

    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value, ClaimValueTypes.String, Issuer)), "test"));
}
