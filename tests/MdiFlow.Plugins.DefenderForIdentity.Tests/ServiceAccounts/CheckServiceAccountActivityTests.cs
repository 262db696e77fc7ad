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
        KdsRootKeyEffectiveTimes = [new DateTimeOffset(2024, 6, 1, 8, 0, 0, TimeSpan.Zero)],
        LogOnAsServiceGranted = true,
    };

    private readonly ObservedTime _time = new();

    private readonly FakeHostFacts _host = new();

    private CheckServiceAccountActivity Activity => new(_host);

    [Fact]
    public async Task A_gmsa_this_server_may_use_passes_every_check()
    {
        _host.Accounts[@"CONTOSO\mdiSvc01$"] = GoodGmsa;

        var output = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc01$", kind = "gMSA" })).ShouldComplete<CheckServiceAccountOutput>();

        output.Kind.Should().Be("gMSA");
        output.Checks.Select(c => c.Name).Should().Equal("kind", "enabled", "kdsRootKey", "passwordRetrievable", "logOnAsService", "notInSensitiveGroups", "deletedObjectsReadable");
        output.Checks.Should().OnlyContain(c => c.Status == FactStatus.Pass);
    }

    [Fact]
    public async Task A_gmsa_without_a_kds_root_key_fails_with_add_kdsrootkey()
    {
        _host.Accounts[@"CONTOSO\mdiSvc01$"] = GoodGmsa with { KdsRootKeyEffectiveTimes = [] };

        var error = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc01$" })).ShouldFail("mdi.kdsRootKeyMissing");

        error.Permanent.Should().BeTrue();
        error.Fix.Should().Contain("Add-KdsRootKey -EffectiveImmediately").And.Contain("10 hours");
    }

    [Fact]
    public async Task A_kds_root_key_younger_than_ten_hours_is_not_yet_usable_and_a_later_retry_may_pass()
    {
        _host.Accounts[@"CONTOSO\mdiSvc01$"] = GoodGmsa with { KdsRootKeyEffectiveTimes = [_time.GetUtcNow().AddHours(-2)] };

        var error = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc01$" }, _time)).ShouldFail("mdi.kdsRootKeyNotYetUsable");
        _time.Fake.Advance(TimeSpan.FromHours(8));
        var output = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc01$" }, _time)).ShouldComplete<CheckServiceAccountOutput>();

        error.Permanent.Should().BeFalse();
        error.Fix.Should().Contain("2025-03-14 18:00:00Z");
        output.Checks.Single(c => c.Name == "kdsRootKey").Status.Should().Be(FactStatus.Pass);
    }

    [Fact]
    public async Task A_gmsa_without_log_on_as_a_service_where_the_right_is_assigned_fails_with_the_user_rights_setting()
    {
        _host.Accounts[@"CONTOSO\mdiSvc01$"] = GoodGmsa with { LogOnAsServiceGranted = false };

        var error = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc01$" })).ShouldFail("mdi.logOnAsServiceMissing");

        error.Fix.Should().Contain("User Rights Assignment > Log on as a service").And.Contain("mdiSvc01$");
    }

    [Fact]
    public async Task On_an_adfs_server_the_account_must_be_in_performance_log_users()
    {
        _host.Server = Servers.AdfsServer2022;
        _host.Accounts[@"CONTOSO\mdiSvc01$"] = GoodGmsa with { PerformanceLogUsersMember = false };

        var error = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc01$" })).ShouldFail("mdi.performanceLogUsersMissing");

        error.Fix.Should().Contain("Add-LocalGroupMember -SID S-1-5-32-559").And.Contain("Access to the registry key 'Global' is denied");
    }

    [Fact]
    public async Task On_a_domain_controller_performance_log_users_is_not_asked_for()
    {
        _host.Accounts[@"CONTOSO\mdiSvc01$"] = GoodGmsa with { PerformanceLogUsersMember = false };

        var output = (await Activity.RunAsync(new { account = @"CONTOSO\mdiSvc01$" })).ShouldComplete<CheckServiceAccountOutput>();

        output.Checks.Select(c => c.Name).Should().NotContain("performanceLogUsers");
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
