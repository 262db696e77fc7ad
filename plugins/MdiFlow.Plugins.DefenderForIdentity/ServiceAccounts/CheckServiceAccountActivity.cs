using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.ServiceAccounts;

/// <summary>
/// <c>mdi.checkServiceAccount</c>: the directory service account exists, is enabled, suits this server (a gMSA needs
/// a usable KDS root key, password retrieval rights and, where the right is assigned by policy, "Log on as a service";
/// on AD FS and AD CS servers it must be in Performance Log Users), is in no sensitive group and can read Deleted
/// Objects. Every failing check is reported at once. Sensor v3.x needs no directory service account.
/// </summary>
[Activity("mdi.checkServiceAccount", Description = "Checks the directory service account (gMSA or user) as Test-MDIDSA does.", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true, Rehearsal = RehearsalMode.Double)]
internal sealed class CheckServiceAccountActivity(IHostFacts host) : Activity<CheckServiceAccountInput, CheckServiceAccountOutput>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(CheckServiceAccountInput input, ActivityContext context)
    {
        if (string.IsNullOrWhiteSpace(input.Account))
        {
            return InvalidInput.Fail(context, "'account' is empty; give the directory service account, for example CONTOSO\\mdiSvc01$.");
        }

        input = input with { Kind = string.IsNullOrWhiteSpace(input.Kind) ? null : input.Kind.Trim() };
        if (input.Kind is not null && !input.Kind.Equals("gMSA", StringComparison.OrdinalIgnoreCase) && !input.Kind.Equals("user", StringComparison.OrdinalIgnoreCase))
        {
            return InvalidInput.Fail(context, $"'kind' is \"{input.Kind}\"; use \"gMSA\" or \"user\", or leave it out.");
        }

        ServerFacts server;
        ServiceAccountFacts account;
        try
        {
            server = await host.GetServerAsync(context.CancellationToken).ConfigureAwait(false);
            account = await host.GetServiceAccountAsync(input.Account.Trim(), context.CancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex)
        {
            return HostProblems.Fail(context, "mdi.checkServiceAccount", ex);
        }

        if (!account.Exists)
        {
            return ActivityResult.Fail(new ActivityError("mdi.accountNotFound", $"The directory has no account {input.Account}.")
            {
                Fix = "Create the directory service account first (a gMSA: New-ADServiceAccount -Name mdiSvc01 -DNSHostName mdiSvc01.contoso.com -PrincipalsAllowedToRetrieveManagedPassword mdiSensorServers), or correct 'account'.",
            });
        }

        var kind = input.Kind is null ? account.Kind : (input.Kind.Equals("user", StringComparison.OrdinalIgnoreCase) ? "user" : "gMSA");
        var checks = ServiceAccountRules.Evaluate(account, server, input.Kind is null ? null : kind, context.Time.GetUtcNow());
        var failed = checks.Where(c => c.Code is not null).ToList();
        if (failed.Count == 0)
        {
            return Complete(new CheckServiceAccountOutput { Account = account.Account, Kind = account.Kind, Checks = [.. checks.Select(c => c.Check)] });
        }

        var problems = failed.Select(c => $"{c.Check.Name}: found {c.Check.Value}, needs {c.Check.Requirement}");
        return ActivityResult.Fail(new ActivityError(
            failed[0].Code!,
            $"The directory service account {account.Account} does not meet {failed.Count} requirement(s): {string.Join("; ", problems)}.",
            Permanent: !failed.All(c => c.Code == "mdi.kdsRootKeyNotYetUsable"))
        {
            Fix = string.Join(" ", failed.Select(c => c.Fix)),
            Details = checks.ToDictionary(c => c.Check.Name, c => $"{c.Check.Status.ToString().ToLowerInvariant()}: {c.Check.Value}"),
        });
    }
}
