using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.ServiceAccounts;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.ServiceAccounts;

public sealed class CheckServiceAccountActivityTests
{
    private static readonly ServiceAccountFacts GoodGmsa = new()
    {
        Account = @"CONTOSO\mdiSvc01$",
        Exists = true,
        Kind = "gMSA",
        HostCanRetrievePassword = true,
        DeletedObjectsReadable = true,
    };

    private readonly FakeHostFacts _host = new();

    private CheckServiceAccountActivity Activity => new(_host);

    [Fact]
    public async Task A_gmsa_this_server_may_use_passes_every_check()
    {
        _host.Accounts[@"CONTOSO\mdiSvc01$"] = GoodGmsa;

        var output = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc01$", kind = "gMSA" })).ShouldComplete<CheckServiceAccountOutput>();

        output.Kind.Should().Be("gMSA");
        output.Checks.Select(c => c.Name).Should().Equal("kind", "enabled", "gmsaSupported", "passwordRetrievable", "notInSensitiveGroups", "deletedObjectsReadable");
        output.Checks.Should().OnlyContain(c => c.Status == FactStatus.Pass);
    }

    [Fact]
    public async Task A_gmsa_on_windows_server_2008_r2_fails_saying_a_standard_user_is_needed()
    {
        _host.Server = Servers.DomainController2008R2;
        _host.Accounts[@"CONTOSO\mdiSvc01$"] = GoodGmsa;

        var error = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc01$" })).ShouldFail("mdi.gmsaNotSupported");

        error.Fix.Should().Contain("2008 R2 SP1 cannot use a gMSA: use a standard AD user account");
    }

    [Fact]
    public async Task A_standard_user_is_fine_on_windows_server_2008_r2()
    {
        _host.Server = Servers.DomainController2008R2;
        _host.Accounts[@"CONTOSO\mdiSvc"] = new ServiceAccountFacts { Account = @"CONTOSO\mdiSvc", Exists = true, Kind = "user", DeletedObjectsReadable = true };

        var output = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc", kind = "user" })).ShouldComplete<CheckServiceAccountOutput>();

        output.Checks.Select(c => c.Name).Should().NotContain("gmsaSupported");
    }

    [Fact]
    public async Task Every_failing_check_is_reported_at_once_the_first_giving_the_code()
    {
        _host.Accounts[@"CONTOSO\mdiSvc01$"] = GoodGmsa with
        {
            HostCanRetrievePassword = false,
            SensitiveGroups = [@"CONTOSO\Domain Admins"],
            DeletedObjectsReadable = false,
        };

        var error = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc01$" })).ShouldFail("mdi.gmsaPasswordNotRetrievable");

        error.Message.Should().Be(@"The directory service account CONTOSO\mdiSvc01$ does not meet 3 requirement(s): passwordRetrievable: found no, needs this server may retrieve the gMSA's password; notInSensitiveGroups: found CONTOSO\Domain Admins, needs no sensitive group memberships; deletedObjectsReadable: found no, needs read access to the Deleted Objects container.");
        error.Fix.Should().Contain("PrincipalsAllowedToRetrieveManagedPassword").And.Contain("Remove the account from these groups").And.Contain(@"dsacls ""CN=Deleted Objects,DC=contoso,DC=com"" /takeOwnership");
        error.Details!["enabled"].Should().Be("pass: enabled");
    }

    [Fact]
    public async Task A_kind_other_than_the_one_asked_for_fails()
    {
        _host.Accounts[@"CONTOSO\mdiSvc"] = new ServiceAccountFacts { Account = @"CONTOSO\mdiSvc", Exists = true, Kind = "user", DeletedObjectsReadable = true };

        var error = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc", kind = "gMSA" })).ShouldFail("mdi.accountKindMismatch");

        error.Message.Should().Contain("kind: found user, needs gMSA");
    }

    [Fact]
    public async Task An_account_the_directory_does_not_have_fails_as_not_found()
    {
        var error = (await Activity.RunAsync(new { account = @"CONTOSO\nosuch$" })).ShouldFail("mdi.accountNotFound");

        error.Fix.Should().Contain("New-ADServiceAccount");
    }

    [Fact]
    public async Task A_kind_that_is_neither_gmsa_nor_user_is_an_invalid_input()
    {
        var error = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc", kind = "msa" })).ShouldFail("activity.invalidInput");

        error.Message.Should().Be("The input of step 'step' is not usable: 'kind' is \"msa\"; use \"gMSA\" or \"user\", or leave it out.");
    }
}
