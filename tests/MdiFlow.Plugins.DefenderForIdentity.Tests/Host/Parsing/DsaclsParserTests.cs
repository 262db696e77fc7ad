using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Host.Parsing;

public sealed class DsaclsParserTests
{
    [Fact]
    public void A_group_of_the_account_granted_list_and_read_makes_deleted_objects_readable()
    {
        DsaclsParser.GrantsRead(Fixture.Text("dsacls.deleted-objects.granted.txt"), [@"CONTOSO\mdiSvc01$", @"contoso\MDISVC01GROUP"]).Should().BeTrue();
    }

    [Fact]
    public void The_default_access_list_does_not_let_the_account_read()
    {
        DsaclsParser.GrantsRead(Fixture.Text("dsacls.deleted-objects.default.txt"), [@"CONTOSO\mdiSvc01$", @"CONTOSO\mdiSvc01Group", "Everyone"]).Should().BeFalse();
    }

    [Fact]
    public void What_is_only_inherited_to_subobjects_does_not_count()
    {
        DsaclsParser.GrantsRead(Fixture.Text("dsacls.deleted-objects.granted.txt"), [@"CONTOSO\Someone"]).Should().BeFalse();
    }

    [Fact]
    public void A_deny_wins_over_an_allow()
    {
        var output = Fixture.Text("dsacls.deleted-objects.granted.txt").Replace(
            "Access list:\r\n",
            "Access list:\r\nDeny CONTOSO\\mdiSvc01$                READ PROPERTY\r\n",
            StringComparison.Ordinal);

        DsaclsParser.GrantsRead(output, [@"CONTOSO\mdiSvc01$", @"CONTOSO\mdiSvc01Group"]).Should().BeFalse();
    }

    [Fact]
    public void The_script_output_gives_the_account_its_kind_and_its_token_groups()
    {
        var account = DirectoryAccountParser.Parse(Fixture.Text("ServiceAccountScript.gmsa.json"), "mdiSvc01");

        account.Should().BeEquivalentTo(new
        {
            Exists = true,
            Account = @"CONTOSO\mdiSvc01$",
            Kind = "gMSA",
            Enabled = true,
            DomainDistinguishedName = "DC=contoso,DC=com",
            HostCanRetrievePassword = (bool?)true,
        });
        account.Groups.Select(g => g.Account).Should().Contain(@"CONTOSO\mdiSvc01Group");
        SensitiveGroups.Among(account.Groups).Should().BeEmpty();
    }

    [Fact]
    public void Sensitive_groups_are_found_by_sid_whatever_their_localized_names()
    {
        var account = DirectoryAccountParser.Parse(Fixture.Text("ServiceAccountScript.admin-user.json"), "mdiSvc");

        account.Kind.Should().Be("user");
        account.Enabled.Should().BeFalse();
        SensitiveGroups.Among(account.Groups).Should().Equal(@"BUILTIN\Administratoren", @"CONTOSO\Domänen-Admins");
    }

    [Fact]
    public void A_missing_account_is_reported_as_not_existing()
    {
        DirectoryAccountParser.Parse(Fixture.Text("ServiceAccountScript.missing.json"), "nosuch").Exists.Should().BeFalse();
    }
}
